//! The land quota ledger's page (`/land`): balance, warnings, the allocation and grant forms,
//! the years and the ledger. The forms call the same functions as the JSON API.

use super::api::{self, LandBody};
use crate::AppState;
use crate::page::programmes::{area, page, subnav};
use crate::page::{Ctx, Flash, Lang, PageError, back, csrf_field, esc};
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::model::LandEntryKind;

pub(super) async fn land(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let l = st.store.land_ledger().await?;
    let kind = |k: LandEntryKind| if lang == Lang::Zh { k.label_zh() } else { k.label_en() };
    let entries: String = l
        .entries
        .iter()
        .map(|e| {
            let project = match (e.project_id, &e.project_name) {
                (Some(id), Some(n)) => format!(r#"<a href="/projects/{id}">{}</a>"#, esc(n)),
                _ => "—".into(),
            };
            format!(
                r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{project}</td><td>{}</td></tr>"#,
                e.entry_on,
                kind(e.kind),
                area(lang, e.area),
                esc(&e.document)
            )
        })
        .collect();
    let years: String = l
        .years
        .iter()
        .map(|y| {
            format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                y.year,
                area(lang, y.granted),
                area(lang, y.allocated),
                area(lang, y.released),
                area(lang, y.closing_balance)
            )
        })
        .collect();
    let warnings: String = l
        .warnings
        .iter()
        .map(|w| {
            format!(
                r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td>{}</td><td class="num{}">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                w.need.project_id,
                esc(&w.need.project_name),
                esc(&w.need.node_name),
                w.need.planned_on,
                if w.days_left < 0 { " l-red" } else { "" },
                w.days_left,
                area(lang, w.need.land_area),
                area(lang, w.shortfall)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/land/allocations" class="filters">{csrf}<div class="f"><label for="a-project">{l_p}</label><input id="a-project" name="project_id" list="land-projects" required><datalist id="land-projects">{options}</datalist></div><div class="f"><label for="a-area">{l_a}</label><input id="a-area" name="area" inputmode="decimal" required></div><div class="f"><label for="a-doc">{l_d}</label><input id="a-doc" name="document" maxlength="300"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.allocate"),
            options = l
                .warnings
                .iter()
                .map(|w| format!(r#"<option value="{}">{}</option>"#, w.need.project_id, esc(&w.need.project_name)))
                .collect::<String>(),
            csrf = csrf_field(&cx.auth),
            l_p = t("pipeline.project_id"),
            l_a = t("pipeline.area_mu"),
            l_d = t("pipeline.document"),
            b = t("pipeline.allocate"),
        )
    } else {
        String::new()
    };
    let grant = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/land/grants" class="filters">{csrf}<div class="f"><label for="g-area">{l_a}</label><input id="g-area" name="area" inputmode="decimal" required></div><div class="f"><label for="g-date">{l_date}</label><input id="g-date" name="entry_on" type="date"></div><div class="f"><label for="g-doc">{l_d}</label><input id="g-doc" name="document" maxlength="300"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.grant"),
            csrf = csrf_field(&cx.auth),
            l_a = t("pipeline.area_mu"),
            l_date = t("pipeline.date"),
            l_d = t("pipeline.document"),
            b = t("pipeline.grant"),
        )
    } else {
        String::new()
    };
    let b = &l.balance;
    let body = format!(
        r#"{nav}{flash}<div class="cards"><div class="card"><div class="k">{l_granted}</div><div class="v" id="land-granted">{granted}</div></div><div class="card"><div class="k">{l_alloc}</div><div class="v">{alloc}</div></div><div class="card"><div class="k">{l_bal}</div><div class="v" id="land-balance">{bal}</div></div><div class="card accent"><div class="k">{l_warn}</div><div class="v">{nw}</div></div></div>
<section class="panel"><h2>{l_warn}</h2><p class="hint">{warn_hint}</p><div class="table-wrap"><table id="land-warnings"><thead><tr><th scope="col">{c_p}</th><th scope="col">{c_n}</th><th scope="col">{c_planned}</th><th scope="col">{c_days}</th><th scope="col">{c_need}</th><th scope="col">{c_short}</th></tr></thead><tbody>{warnings}</tbody></table></div></section>
{form}{grant}
<section class="panel"><h2>{h_years}</h2><div class="table-wrap"><table id="land-years"><thead><tr><th scope="col">{c_year}</th><th scope="col">{l_granted}</th><th scope="col">{l_alloc}</th><th scope="col">{c_rel}</th><th scope="col">{c_closing}</th></tr></thead><tbody>{years}</tbody></table></div></section>
<section class="panel"><h2>{h_ledger}</h2><div class="table-wrap"><table id="land-ledger"><thead><tr><th scope="col">{c_date}</th><th scope="col">{c_kind}</th><th scope="col">{c_area}</th><th scope="col">{c_p}</th><th scope="col">{c_doc}</th></tr></thead><tbody>{entries}</tbody></table></div></section>"#,
        nav = subnav(&cx),
        flash = f.show(&cx, &["pipeline.flash_"]),
        l_granted = t("pipeline.land_granted"),
        granted = area(lang, b.granted),
        l_alloc = t("pipeline.land_allocated"),
        alloc = area(lang, b.allocated),
        l_bal = t("pipeline.land_balance"),
        bal = area(lang, b.balance),
        l_warn = t("pipeline.warnings"),
        nw = l.warnings.len(),
        warn_hint = t("pipeline.warn_hint"),
        c_p = t("pipeline.project"),
        c_n = t("pipeline.node"),
        c_planned = t("pipeline.planned_on"),
        c_days = t("pipeline.days_left"),
        c_need = t("pipeline.land_need"),
        c_short = t("pipeline.shortfall"),
        h_years = t("pipeline.per_year"),
        c_year = t("pipeline.year"),
        c_rel = t("pipeline.land_released"),
        c_closing = t("pipeline.closing_balance"),
        h_ledger = t("pipeline.ledger"),
        c_date = t("pipeline.date"),
        c_kind = t("pipeline.kind"),
        c_area = t("pipeline.area_mu"),
        c_doc = t("pipeline.document"),
    );
    let links = format!(
        r#"<a href="/api/v1/land/export.xlsx">{}</a> · <a href="/api/v1/land">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.land"), &links, &body))
}

#[derive(Deserialize)]
pub(super) struct AllocationForm {
    project_id: String,
    area: String,
    #[serde(default)]
    document: String,
}

pub(super) async fn allocation_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<AllocationForm>) -> Response {
    let r = async {
        let project_id = st.store.resolve_project_ref(&f.project_id).await?;
        let body = LandBody {
            entry_on: None,
            area: Value::String(f.area.clone()),
            project_id: Some(project_id),
            document: f.document.clone(),
            note: String::new(),
        };
        api::do_allocate_land(&st, &cx.auth, &body).await
    }
    .await;
    back("/land", r.map(|_| "pipeline.flash_land_allocated"))
}

#[derive(Deserialize)]
pub(super) struct GrantForm {
    area: String,
    #[serde(default)]
    entry_on: String,
    #[serde(default)]
    document: String,
}

pub(super) async fn grant_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<GrantForm>) -> Response {
    let body = LandBody {
        entry_on: Some(f.entry_on.clone()),
        area: Value::String(f.area.clone()),
        project_id: None,
        document: f.document.clone(),
        note: String::new(),
    };
    let r = api::do_grant_land(&st, &cx.auth, &body).await;
    back("/land", r.map(|_| "pipeline.flash_land_granted"))
}
