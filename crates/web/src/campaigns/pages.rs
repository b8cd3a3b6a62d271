//! The pages of the campaigns: the list with the new-campaign form (`/campaigns`), one
//! campaign with its leaderboard, report and target nodes (`/campaigns/{id}`). The forms call
//! the same functions as the JSON API.

use super::api::{self, CampaignBody};
use crate::extract::IdPath;
use crate::page::programmes::{FLASH, nav};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, to_created};
use crate::{AppState, fields};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::model::NodeStatus;
use zhantu_store::campaigns::CampaignDetail;
use zhantu_store::campaigns::CampaignSummary;

/// A campaign's state as read on `as_of`: closed with its report, ended awaiting the report, or running.
fn campaign_status(cx: &Ctx, c: &zhantu_store::campaigns::CampaignSummary, as_of: chrono::NaiveDate) -> &'static str {
    if c.status == "closed" {
        cx.t("pipeline.status_closed")
    } else if as_of > c.ends_on {
        cx.t("pipeline.campaign_ended")
    } else {
        cx.t("pipeline.status_open")
    }
}

fn node_status(lang: Lang, s: &str) -> &'static str {
    match NodeStatus::from_code(s) {
        Some(n) if lang == Lang::Zh => n.label_zh(),
        Some(n) => n.label_en(),
        None => "—",
    }
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    items: Vec<CampaignSummary>,
    as_of: chrono::NaiveDate,
    may_manage: bool,
    token: &'a str,
}

impl ListPage<'_> {
    fn status(&self, c: &CampaignSummary) -> &'static str {
        campaign_status(self.cx, c, self.as_of)
    }
}

pub(super) async fn campaigns(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.campaigns");
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        items: st.store.list_campaigns().await?,
        as_of: st.store.as_of().await?,
        may_manage: cx.auth.actor.may(Action::Verify).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "campaigns/detail.html")]
struct DetailPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    c: &'a CampaignDetail,
    status: &'static str,
    /// The closing note once closed, else the report drawn from the figures.
    report: &'a str,
    /// The report is the closing note someone wrote (data), not one drawn from the figures.
    note: bool,
    may_close: bool,
    token: &'a str,
}

impl DetailPage<'_> {
    fn node_status(&self, s: &str) -> &'static str {
        node_status(self.cx.lang, s)
    }
}

pub(super) async fn campaign(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let c = st.store.campaign(id).await.map_err(cx.err())?;
    let as_of = st.store.as_of().await?;
    let note = c.campaign.status == "closed" && !c.campaign.closing_note.is_empty();
    let report = if note { &c.campaign.closing_note } else { &c.report.summary };
    let body = Markup::of(&DetailPage {
        cx: &cx,
        title: &c.campaign.name,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        c: &c,
        status: campaign_status(&cx, &c.campaign, as_of),
        report,
        note,
        may_close: cx.auth.actor.may(Action::Verify).is_ok() && c.campaign.status == "open",
        token: cx.csrf(),
    });
    Ok(layout(&cx, &c.campaign.name, body, &[]))
}

#[derive(Deserialize)]
pub(super) struct MeasureForm {
    name: String,
    #[serde(default)]
    unit: String,
    target: String,
    #[serde(default)]
    achieved: String,
}

/// A whole number typed in a form: blank is 0, anything else must be an integer.
fn form_int(field: &'static str, v: &str) -> Result<i64, crate::error::ApiError> {
    let v = v.trim().replace([',', '，'], "");
    if v.is_empty() {
        return Ok(0);
    }
    v.parse::<i64>()
        .map_err(|_| crate::error::ApiError::bad_request("invalid_parameter", format!("{field}“{v}”无效：应为整数")))
}

pub(super) async fn measure_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<MeasureForm>) -> Response {
    let r = async {
        let b = api::MeasureBody {
            name: f.name.clone(),
            unit: f.unit.clone(),
            target: form_int("目标值", &f.target)?,
            achieved: form_int("完成值", &f.achieved)?,
        };
        api::do_add_measure(&st, &cx.auth, id, &b).await
    }
    .await;
    back(cx.lang, &format!("/campaigns/{id}"), r.map(|_| "pipeline.flash_measure_added"))
}

#[derive(Deserialize)]
pub(super) struct ProgressForm {
    campaign_id: String,
    achieved: String,
    version: String,
}

pub(super) async fn measure_progress_form(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Form(f): Form<ProgressForm>,
) -> Response {
    let r = async {
        let b = api::ProgressBody {
            achieved: form_int("完成值", &f.achieved)?,
            version: fields::form_version(&f.version)?,
        };
        api::do_measure_progress(&st, &cx.auth, id, &b).await
    }
    .await;
    let campaign = match &r {
        Ok(m) => m.campaign_id,
        Err(_) => f.campaign_id.trim().parse().unwrap_or(0),
    };
    back(
        cx.lang,
        &format!("/campaigns/{campaign}"),
        r.map(|_| "pipeline.flash_measure_updated"),
    )
}

#[derive(Deserialize)]
pub(super) struct CloseForm {
    version: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn campaign_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<CloseForm>) -> Response {
    let r = async { api::do_close_campaign(&st, &cx.auth, id, fields::form_version(&f.version)?, &f.note).await }.await;
    back(cx.lang, &format!("/campaigns/{id}"), r.map(|_| "pipeline.flash_campaign_closed"))
}

#[derive(Deserialize)]
pub(super) struct CampaignForm {
    name: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    node_names: String,
}

pub(super) async fn campaign_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<CampaignForm>) -> Response {
    let body = CampaignBody {
        name: f.name.clone(),
        starts_on: f.starts_on.clone(),
        ends_on: f.ends_on.clone(),
        description: String::new(),
        unit_ids: Vec::new(),
        node_ids: Vec::new(),
        node_names: Value::String(f.node_names.clone()),
    };
    to_created(
        cx.lang,
        "/campaigns",
        api::do_create_campaign(&st, &cx.auth, &body).await,
        "pipeline.flash_campaign_created",
    )
}
