//! `/admin/project-types`: the types with the new-type form (its steps one per line), and
//! `/admin/project-types/{code}`: one type's editor, a row per step and per clock (rows left
//! without a name are dropped, a few empty rows add new ones). The forms call the same
//! functions as the JSON API.

use super::api::{StepBody, TypeBody, do_create_type, do_save_type};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::fields::{form_number, form_version};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, admin, back, layout};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use std::collections::BTreeMap;
use zhantu_domain::access::Action;
use zhantu_domain::model::DayKind;
use zhantu_domain::project_types::TypeClock;
use zhantu_store::project_types::{ProjectTypeRecord, ProjectTypeSummary};

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/project-types", get(types_page).post(create_form))
        .route("/admin/project-types/{code}", get(type_page).post(save_form))
}

const FLASH: &[&str] = &["project_types.flash_"];
/// Empty rows offered for new steps and new clocks.
const NEW_STEPS: usize = 3;
const NEW_CLOCKS: usize = 1;

#[derive(Template)]
#[template(path = "project_types/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    types: Vec<ProjectTypeSummary>,
    token: &'a str,
}

impl ListPage<'_> {
    fn name(&self, t: &ProjectTypeSummary) -> String {
        type_name(self.cx.lang, &t.name, &t.name_en)
    }
}

fn type_name(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}

async fn types_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let title = cx.t("nav.project_types");
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        types: st.store.list_project_types().await?,
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

/// A row of the step table: a saved step, or an empty one (`seq` the next free number).
struct StepRow {
    i: usize,
    seq: i32,
    name: String,
    offset_days: String,
    depends_on: String,
    owner_hint: String,
    /// The clocks that run over the step.
    clocks: String,
    /// 并联 (else 主线).
    parallel: bool,
}

struct ClockRow {
    i: usize,
    c: Option<TypeClock>,
}

#[derive(Template)]
#[template(path = "project_types/type.html")]
struct TypePage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    t: &'a ProjectTypeRecord,
    steps: Vec<StepRow>,
    clocks: Vec<ClockRow>,
    kinds: &'static [DayKind],
    token: &'a str,
}

impl TypePage<'_> {
    fn kind(&self, k: DayKind) -> &'static str {
        match self.cx.lang {
            Lang::Zh => k.label_zh(),
            Lang::En => k.label_en(),
        }
    }
    fn is_kind(&self, c: &Option<TypeClock>, k: DayKind) -> bool {
        c.as_ref().map_or(k == DayKind::Calendar, |c| c.day_kind == k)
    }
}

async fn type_page(
    State(st): State<AppState>,
    cx: Ctx,
    Path(code): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let t = st
        .store
        .project_type(&code)
        .await
        .or_not_found(format!("{} {code}", cx.t("project_types.missing")))
        .map_err(cx.err())?;
    let spec = t.spec();
    let clocked = spec.clocked_steps();
    let next = t.steps.iter().map(|s| s.seq).max().unwrap_or(0);
    let mut steps: Vec<StepRow> = t
        .steps
        .iter()
        .map(|s| StepRow {
            i: 0,
            seq: s.seq,
            name: s.name.clone(),
            offset_days: s.offset_days.to_string(),
            depends_on: s.depends_on.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(","),
            owner_hint: s.owner_hint.clone(),
            clocks: clocked.get(&s.seq).map(|c| c.join("；")).unwrap_or_default(),
            parallel: s.parallel,
        })
        .collect();
    steps.extend((1..=NEW_STEPS as i32).map(|k| StepRow {
        i: 0,
        seq: next + k,
        name: String::new(),
        offset_days: String::new(),
        depends_on: if next + k > 1 { (next + k - 1).to_string() } else { String::new() },
        owner_hint: String::new(),
        clocks: String::new(),
        parallel: false,
    }));
    for (i, s) in steps.iter_mut().enumerate() {
        s.i = i;
    }
    let clocks = t
        .clocks
        .iter()
        .cloned()
        .map(Some)
        .chain(std::iter::repeat_n(None, NEW_CLOCKS))
        .enumerate()
        .map(|(i, c)| ClockRow { i, c })
        .collect();
    let title = type_name(cx.lang, &t.name, &t.name_en);
    let body = Markup::of(&TypePage {
        cx: &cx,
        title: &title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        t: &t,
        steps,
        clocks,
        kinds: DayKind::ALL,
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

/// The new type's steps from the form's text: one per line, `名称` or `名称 天数`, each
/// waiting for the one before.
fn steps_from_lines(text: &str) -> Result<Vec<StepBody>, ApiError> {
    let mut steps = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, days) = match line.rsplit_once(|c: char| c.is_whitespace() || c == ',' || c == '，') {
            Some((n, d)) if !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => (n.trim(), d),
            _ => (line, "0"),
        };
        let seq = steps.len() as i32 + 1;
        steps.push(StepBody {
            seq: Some(seq),
            name: name.to_string(),
            offset_days: form_number(days, "节点天数应为整数")?,
            depends_on: if seq > 1 { vec![seq - 1] } else { Vec::new() },
            owner_hint: String::new(),
            parallel: false,
        });
    }
    Ok(steps)
}

async fn create_form(lang: Lang, State(st): State<AppState>, a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let fields: BTreeMap<String, String> = f.into_iter().collect();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let made = async {
        let body = TypeBody {
            code: get("code"),
            version: None,
            name: get("name"),
            name_en: get("name_en"),
            steps: steps_from_lines(&get("steps"))?,
            clocks: Vec::new(),
        };
        do_create_type(&st, &a, body).await.map(|t| t.code)
    }
    .await;
    match made {
        Ok(code) => back(lang, &format!("/admin/project-types/{code}"), Ok("project_types.flash_created")),
        Err(e) => back(lang, "/admin/project-types", Err(e)),
    }
}

/// The editor's rows as a type: `s{i}_…` for steps and `c{i}_…` for clocks, rows without a
/// name dropped.
fn type_from_form(fields: &BTreeMap<String, String>) -> Result<TypeBody, ApiError> {
    let get = |k: &str| fields.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let rows = |prefix: char| -> Vec<usize> {
        let mut ids: Vec<usize> = fields
            .keys()
            .filter_map(|k| k.strip_prefix(prefix)?.strip_suffix("_name")?.parse().ok())
            .collect();
        ids.sort_unstable();
        ids
    };
    let mut steps = Vec::new();
    for i in rows('s') {
        let name = get(&format!("s{i}_name"));
        if name.is_empty() {
            continue;
        }
        let offset = get(&format!("s{i}_offset"));
        steps.push(StepBody {
            seq: Some(form_number(&get(&format!("s{i}_seq")), &format!("节点“{name}”的序号应为整数"))?),
            offset_days: if offset.is_empty() {
                0
            } else {
                form_number(&offset, &format!("节点“{name}”的默认工期应为整数天数"))?
            },
            depends_on: get(&format!("s{i}_depends"))
                .split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| form_number(s, "依赖的序号应为整数"))
                .collect::<Result<_, _>>()?,
            owner_hint: get(&format!("s{i}_owner")),
            parallel: !get(&format!("s{i}_parallel")).is_empty(),
            name,
        });
    }
    let mut clocks = Vec::new();
    for i in rows('c') {
        let name = get(&format!("c{i}_name"));
        if name.is_empty() {
            continue;
        }
        let kind = get(&format!("c{i}_kind"));
        clocks.push(TypeClock {
            limit_days: form_number(&get(&format!("c{i}_limit")), &format!("审批时限“{name}”的天数应为整数"))?,
            day_kind: DayKind::from_code(&kind).ok_or_else(|| ApiError::bad_request("invalid_day_kind", "计时方式应为自然日或工作日"))?,
            start_node: get(&format!("c{i}_start")),
            stop_node: get(&format!("c{i}_stop")),
            name,
        });
    }
    Ok(TypeBody {
        code: String::new(),
        version: Some(form_version(&get("version"))?),
        name: get("name"),
        name_en: get("name_en"),
        steps,
        clocks,
    })
}

async fn save_form(
    lang: Lang,
    State(st): State<AppState>,
    a: Auth,
    Path(code): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let fields: BTreeMap<String, String> = f.into_iter().collect();
    let r = async { do_save_type(&st, &a, &code, type_from_form(&fields)?).await }.await;
    back(
        lang,
        &format!("/admin/project-types/{}", crate::guard::urlencode(&code)),
        r.map(|_| "project_types.flash_saved"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editors_rows_make_a_type() {
        let fields: BTreeMap<String, String> = [
            ("version", "3"),
            ("name", "产业项目"),
            ("s0_seq", "1"),
            ("s0_name", "签约"),
            ("s0_offset", "0"),
            ("s0_depends", ""),
            ("s1_seq", "2"),
            ("s1_name", "赋码备案"),
            ("s1_offset", "30"),
            ("s1_depends", "1"),
            ("s2_seq", "3"),
            ("s2_name", ""),
            ("c0_name", "赋码60天"),
            ("c0_start", "签约"),
            ("c0_stop", "赋码备案"),
            ("c0_limit", "60"),
            ("c0_kind", "working"),
            ("c1_name", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let t = type_from_form(&fields).unwrap();
        assert_eq!((t.version, t.steps.len(), t.clocks.len()), (Some(3), 2, 1));
        assert_eq!(t.steps[1].depends_on, [1]);
        assert_eq!(t.clocks[0].day_kind, DayKind::Working);
        let lines = steps_from_lines("签约\n赋码备案 30\n\n施工许可，15").unwrap();
        let got: Vec<(&str, i32, Vec<i32>)> = lines
            .iter()
            .map(|s| (s.name.as_str(), s.offset_days, s.depends_on.clone()))
            .collect();
        assert_eq!(got, [("签约", 0, vec![]), ("赋码备案", 30, vec![1]), ("施工许可", 15, vec![2])]);
    }
}
