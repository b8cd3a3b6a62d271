//! A node's own page (`/nodes/{id}`): its close-out in view of its evidence. The unit's report
//! (who sent it and when, the note, the completion date), each file (photos as thumbnails,
//! PDFs as links; when the server received it and its SHA-256; for a photo the time and place
//! its EXIF records, with a warning when it was taken far from the project), and beside them
//! the coordinator's decision: approve after ticking that the evidence was looked at, or send
//! back with a reason. Both are plain forms that work without JavaScript. A unit editor reports
//! the node done here too (the phone's camera opens directly), and sees the report afterwards.

use super::{evidence_file, load, may};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::{Ctx, Flash, Markup, PageError, back, csrf_field, layout, light_with_reason};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::nodes::{PHOTO_RADIUS_SETTING, check_verification, photo_far_from_project, photo_radius_km};
use zhantu_store::{EvidenceInfo, NodeState};

pub fn router() -> Routes {
    Routes::new()
        .route("/nodes", get(due_page))
        .route("/nodes/{id}", get(node_page))
        .route("/nodes/{id}/verify", post(verify_form))
        .route("/evidence/{id}", get(evidence_inline))
}

/// One evidence file as the page shows it.
struct EvidenceView<'a> {
    e: &'a EvidenceInfo,
    photo: bool,
    size: String,
    received_at: String,
    sha_short: &'a str,
    position: Option<String>,
    /// "照片拍摄位置距项目约13.3公里（超过2公里）", when it was taken far from the project.
    far: Option<String>,
}

#[derive(Template)]
#[template(path = "nodes/node.html")]
struct NodePage<'a> {
    cx: &'a Ctx,
    n: &'a NodeState,
    project_name: &'a str,
    status: &'static str,
    light: Markup,
    flash: Markup,
    reported_at: String,
    verified_at: String,
    evidence: Vec<EvidenceView<'a>>,
    /// The coordinator may decide: the node is reported and they verify.
    decide: bool,
    /// The unit may report it done: open, and theirs to edit.
    report: bool,
    /// The project has no position to compare the photos' with.
    no_project_position: bool,
    csrf: Markup,
    as_of: NaiveDate,
}

async fn node_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let n = load(&st, id).await.map_err(cx.err())?;
    may(&cx.auth, &n, false).map_err(cx.err())?;
    let project = st.store.project_detail(n.project_id).await.map_err(cx.err())?;
    let view = project.nodes.iter().find(|v| v.id == id);
    let evidence = st.store.evidence_of(id).await?;
    let project_at = st.store.project_position(n.project_id).await?;
    let radius = photo_radius_km(st.store.setting(PHOTO_RADIUS_SETTING).await?.as_deref());
    let verifier = cx.auth.actor.may(Action::Verify).is_ok();
    let views = evidence
        .iter()
        .map(|e| {
            let far = photo_far_from_project(e.position(), project_at, radius).map(|d| {
                cx.tf(
                    "nodes.evidence.far",
                    &[("km", &format!("{d:.1}")), ("radius", &format!("{radius}"))],
                )
            });
            EvidenceView {
                e,
                photo: e.content_type.starts_with("image/"),
                size: if e.size_bytes >= 1024 * 1024 {
                    format!("{:.1} MB", e.size_bytes as f64 / 1024.0 / 1024.0)
                } else {
                    format!("{} KB", (e.size_bytes + 1023) / 1024)
                },
                received_at: cx.time(e.received_at.as_deref().unwrap_or(&e.uploaded_at)),
                sha_short: e.sha256.get(..12).unwrap_or(&e.sha256),
                position: e.position().map(|p| format!("{:.6}, {:.6}", p.lat, p.lng)),
                far,
            }
        })
        .collect();
    let body = Markup::of(&NodePage {
        cx: &cx,
        n: &n,
        project_name: &project.summary.name,
        status: cx.t(&format!("status.{}", n.status)),
        light: view
            .map(|v| light_with_reason(cx.lang, v.light, v.light_reason.as_deref(), v.light_reason_en.as_deref()))
            .unwrap_or_default(),
        flash: f.show(&cx, &["nodes.flash."]),
        reported_at: n.reported_at.as_deref().map(|t| cx.time(t)).unwrap_or_default(),
        verified_at: n.verified_at.as_deref().map(|t| cx.time(t)).unwrap_or_default(),
        evidence: views,
        decide: verifier && n.status == "reported",
        report: n.status == "open" && may(&cx.auth, &n, true).is_ok(),
        no_project_position: verifier && project_at.is_none() && !evidence.is_empty(),
        csrf: csrf_field(&cx.auth),
        as_of: st.store.as_of().await?,
    });
    Ok(layout(&cx, &n.name, body, &["/assets/app.js"]))
}

/// `GET /evidence/{id}`: the file itself, inline (thumbnails and the full view), to the
/// readers of its node only.
async fn evidence_inline(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Response, ApiError> {
    evidence_file(&st, &a, id, true).await
}

#[derive(Deserialize)]
struct VerifyForm {
    #[serde(default)]
    version: String,
    /// `approve` or `return`.
    decision: String,
    /// The ticked box: the evidence was looked at.
    confirm: Option<String>,
    #[serde(default)]
    reason: String,
}

/// `POST /nodes/{id}/verify` (form): the coordinator's decision, back to the node's page with
/// its message; approving needs the ticked confirmation, sending back a reason.
async fn verify_form(
    lang: crate::page::Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<VerifyForm>,
) -> Response {
    let to = format!("/nodes/{id}");
    let r = async {
        load(&st, id).await?;
        a.actor.may(Action::Verify)?;
        let approve = match f.decision.trim() {
            "approve" => true,
            "return" => false,
            _ => return Err(ApiError::bad_request("invalid_field", "未知的核验决定")),
        };
        let version = f
            .version
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request("missing_version", "缺少 version（记录版本号）"))?;
        check_verification(approve, f.confirm.is_some(), &f.reason)?;
        st.store.verify_node(id, version, approve, f.reason.trim(), &a.audit()).await?;
        Ok(if approve { "nodes.flash.verified" } else { "nodes.flash.returned" })
    }
    .await;
    back(lang, &to, r)
}

/// `/nodes?due_from=2019-01-01&due_to=2019-06-30[&late=1]`: the nodes that fell due in a
/// period, or those of them not closed by its end (the cockpit's 到期节点 and 逾期未完成
/// open it), of the projects the reader may see.
#[derive(Deserialize, Default)]
struct DueQuery {
    due_from: Option<String>,
    due_to: Option<String>,
    late: Option<String>,
    /// The target nodes of a campaign (any date).
    campaign: Option<String>,
    offset: Option<String>,
}

struct DueRow<'a> {
    n: &'a zhantu_store::OverdueNode,
    status: &'static str,
    /// The node's light with its reason in the reader's language.
    light: Markup,
}

#[derive(Template)]
#[template(path = "nodes/due.html")]
struct DuePage<'a> {
    cx: &'a Ctx,
    title: String,
    total: String,
    total_n: i64,
    rows: Vec<DueRow<'a>>,
    next_page: Option<String>,
    /// The campaign whose targets these are: (id, name).
    campaign: Option<(i64, &'a str)>,
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

async fn due_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<DueQuery>) -> Result<Html<String>, PageError> {
    let as_of = st.store.as_of().await?;
    let year_start = NaiveDate::from_ymd_opt(chrono::Datelike::year(&as_of), 1, 1).unwrap_or(as_of);
    let campaign = match crate::extract::non_empty(&q.campaign) {
        None => None,
        Some(c) => {
            let id: i64 = c
                .parse()
                .map_err(|_| PageError(crate::error::ApiError::not_found("记录不存在"), cx.lang))?;
            Some(st.store.campaign(id).await.map_err(cx.err())?.campaign)
        }
    };
    // A campaign's targets are listed whatever their dates unless a period is asked for.
    let (default_from, default_to) = if campaign.is_some() {
        (None, None)
    } else {
        (Some(year_start), Some(as_of))
    };
    let from = crate::extract::opt_date(&q.due_from).map_err(cx.err())?.or(default_from);
    let to = crate::extract::opt_date(&q.due_to).map_err(cx.err())?.or(default_to);
    let late_only = matches!(crate::extract::non_empty(&q.late), Some("1" | "true" | "yes"));
    let offset = crate::extract::page_offset(&q.offset).map_err(cx.err())?;
    let filter = zhantu_store::ProjectFilter {
        within_units: cx.scope(),
        limit: 100,
        ..Default::default()
    };
    let due = zhantu_store::DueNodes {
        from,
        to,
        late_only,
        campaign: campaign.as_ref().map(|c| c.id),
    };
    let page = st.store.due_nodes(&filter, due, offset).await?;
    let (from_s, to_s) = (opt_date(from), opt_date(to));
    let late = if late_only { "1" } else { "" };
    let campaign_s = campaign.as_ref().map(|c| c.id.to_string()).unwrap_or_default();
    let pairs = [
        (
            "due_from",
            if q.due_from.is_some() || campaign.is_none() {
                from_s.as_str()
            } else {
                ""
            },
        ),
        (
            "due_to",
            if q.due_to.is_some() || campaign.is_none() {
                to_s.as_str()
            } else {
                ""
            },
        ),
        ("late", late),
        ("campaign", campaign_s.as_str()),
    ];
    let rows = page
        .items
        .iter()
        .map(|n| DueRow {
            n,
            status: cx.t(&format!("status.{}", n.status.code())),
            light: light_with_reason(cx.lang, n.light, n.light_reason.as_deref(), n.light_reason_en.as_deref()),
        })
        .collect();
    let title = match &campaign {
        Some(_) => cx.t("nodes.due.campaign_title").to_string(),
        None => cx.tf(
            if late_only { "nodes.due.late_title" } else { "nodes.due.title" },
            &[("from", &from_s), ("to", &to_s)],
        ),
    };
    let body = Markup::of(&DuePage {
        cx: &cx,
        title: title.clone(),
        total: cx.tf("nodes.due.total", &[("n", &page.total.to_string())]),
        total_n: page.total,
        rows,
        next_page: crate::page::next_page("/nodes", &pairs, offset, 100, page.total),
        campaign: campaign.as_ref().map(|c| (c.id, c.name.as_str())),
    });
    Ok(layout(&cx, &title, body, &[]))
}
