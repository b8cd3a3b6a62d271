//! The project page's node panels, owned by the `nodes` mechanism: the nodes as a timeline
//! (SVG drawn from the dates), the forms of the weekly work on each node (report done with
//! evidence, verify or send back, ask to move a planned date, decide such a request) and the
//! schedule's versions. Each form posts to the JSON API through app.js (`form[data-api]`), so
//! the page and the API share one set of rules and one audit trail; the answer's Chinese
//! message is shown in the form when the API refuses.

use crate::page::{Ctx, Lang, esc, opt_date};
use chrono::NaiveDate;
use zhantu_store::{DATE_CHANGE_REASONS, DateChange, NodeView, ProjectDetail};

fn light_color(l: Option<zhantu_domain::lights::Light>, done: bool) -> &'static str {
    use zhantu_domain::lights::Light::*;
    match (l, done) {
        (Some(Red), _) => "#c0392b",
        (Some(Yellow), _) => "#b8860b",
        (_, true) => "#2e8b57",
        (Some(Green), false) => "#2e8b57",
        (None, false) => "#7b8794",
    }
}

/// The nodes as a small Gantt: a row per node, planned ◇, actual ●, the delay between them,
/// and the data date as a line. Scales with the page (viewBox).
pub fn timeline(p: &ProjectDetail, as_of: NaiveDate, cx: &Ctx) -> String {
    if p.nodes.is_empty() {
        return format!(r#"<p class="empty">{}</p>"#, cx.t("project.no_nodes"));
    }
    let dates: Vec<NaiveDate> = p
        .nodes
        .iter()
        .flat_map(|n| [Some(n.planned_on), n.actual_on, Some(n.baseline_on)])
        .flatten()
        .chain([as_of])
        .collect();
    let (min, max) = (*dates.iter().min().unwrap_or(&as_of), *dates.iter().max().unwrap_or(&as_of));
    let span = ((max - min).num_days().max(30) + 30) as f64;
    let (left, width, row) = (190.0, 700.0, 26.0);
    let x = |d: NaiveDate| left + ((d - min).num_days() as f64 + 15.0) / span * width;
    let h = p.nodes.len() as f64 * row + 30.0;
    let mut s = format!(
        r#"<svg class="timeline" viewBox="0 0 {} {h}" role="img" aria-labelledby="tl-title"><title id="tl-title">{}</title>"#,
        left + width + 10.0,
        esc(cx.t("project.timeline"))
    );
    // Month ticks along the top (every month, labels every quarter when crowded).
    let mut d = NaiveDate::from_ymd_opt(chrono::Datelike::year(&min), chrono::Datelike::month(&min), 1).unwrap_or(min);
    let months = (span / 30.0) as i32;
    let step = if months > 18 { 3 } else { 1 };
    let mut i = 0;
    while d <= max {
        let xx = x(d);
        if xx >= left {
            s.push_str(&format!(r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="16" y2="{h}" stroke="#e4e7eb"/>"##));
            if i % step == 0 {
                s.push_str(&format!(
                    r##"<text x="{xx:.1}" y="12" font-size="10" fill="#52606d">{}</text>"##,
                    d.format("%Y-%m")
                ));
            }
        }
        i += 1;
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(max + chrono::Days::new(1));
    }
    for (i, n) in p.nodes.iter().enumerate() {
        let y = 30.0 + i as f64 * row;
        let done = n.actual_on.is_some();
        let color = light_color(n.light, done);
        let tip = format!(
            "{} · {} {} · {} {}{}",
            n.name,
            cx.t("project.planned"),
            n.planned_on,
            cx.t("project.actual"),
            opt_date(n.actual_on),
            n.light_reason.as_deref().map(|r| format!(" · {r}")).unwrap_or_default()
        );
        s.push_str(&format!(
            r##"<g><title>{}</title><text x="4" y="{:.1}" font-size="12" fill="#1f2933">{}</text>"##,
            esc(&tip),
            y + 4.0,
            esc(&n.name)
        ));
        let px = x(n.planned_on);
        if let Some(a) = n.actual_on {
            let ax = x(a);
            s.push_str(&format!(
                r##"<line x1="{px:.1}" x2="{ax:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{color}" stroke-width="3" opacity="0.5"/><circle cx="{ax:.1}" cy="{y:.1}" r="6" fill="{color}"/>"##
            ));
        } else if as_of > n.planned_on {
            let ax = x(as_of);
            s.push_str(&format!(
                r##"<line x1="{px:.1}" x2="{ax:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{color}" stroke-width="3" stroke-dasharray="4 3"/>"##
            ));
        }
        s.push_str(&format!(
            r##"<path d="M{px:.1} {:.1} l6 6 l-6 6 l-6 -6 z" fill="#fff" stroke="{color}" stroke-width="2"/></g>"##,
            y - 6.0
        ));
    }
    let tx = x(as_of);
    s.push_str(&format!(
        r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="16" y2="{h}" stroke="#c0392b" stroke-dasharray="3 3"/><text x="{:.1}" y="{:.1}" font-size="10" fill="#c0392b" text-anchor="end">{}</text></svg>"##,
        tx - 3.0,
        h - 2.0,
        esc(cx.t("battle.today"))
    ));
    s.push_str(&format!(
        r#"<p class="legend"><span class="sym-planned">◇</span> {} <span class="sym-actual">●</span> {} <span class="sym-today">┆</span> {}</p>"#,
        cx.t("project.planned"),
        cx.t("project.actual"),
        cx.t("battle.today")
    ));
    s
}

/// What the signed-in user may do on this project.
pub struct Powers {
    /// Report nodes done, ask for date changes, file progress reports.
    pub edit: bool,
    /// Verify close-outs and decide date changes.
    pub verify: bool,
}

pub(super) fn form(api: &str, enctype: &str, class: &str, inner: &str, submit: &str) -> String {
    format!(
        r#"<form class="api-form {class}" data-api="{api}" data-enctype="{enctype}" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{submit}</button></form>"#,
        api = esc(api),
    )
}

pub(super) fn field(id: &str, label: &str, input: &str) -> String {
    format!(r#"<label for="{id}">{label}</label>{input}"#)
}

/// The actions cell of one node's row.
pub fn node_actions(cx: &Ctx, n: &NodeView, powers: &Powers, pending: &[DateChange], as_of: NaiveDate) -> String {
    let t = |k: &str| cx.t(k);
    let id = n.id;
    let version = format!(r#"<input type="hidden" name="version" value="{}" data-type="number">"#, n.version);
    let mut out = String::new();
    if powers.edit && n.status == "open" {
        let inner = format!(
            "{version}{}{}{}",
            field(
                &format!("actual{id}"),
                t("work.actual_on"),
                &format!(r#"<input id="actual{id}" name="actual_on" type="date" required value="{as_of}">"#)
            ),
            field(
                &format!("note{id}"),
                t("work.note"),
                &format!(r#"<input id="note{id}" name="note" maxlength="2000">"#)
            ),
            field(
                &format!("ev{id}"),
                t("work.evidence"),
                &format!(
                    r#"<input id="ev{id}" name="evidence" type="file" multiple required accept="image/png,image/jpeg,application/pdf">"#
                )
            ),
        );
        out.push_str(&format!(
            "<details><summary>{}</summary>{}</details>",
            t("work.report_done"),
            form(
                &format!("/api/v1/nodes/{id}/report"),
                "multipart",
                "stack",
                &inner,
                t("work.submit")
            )
        ));
    }
    if powers.verify && n.status == "reported" {
        let approve = form(
            &format!("/api/v1/nodes/{id}/verify"),
            "json",
            "inline",
            &format!(r#"{version}<input type="hidden" name="approve" value="true" data-type="bool">"#),
            t("work.verify"),
        );
        let back = form(
            &format!("/api/v1/nodes/{id}/verify"),
            "json",
            "stack",
            &format!(
                r#"{version}<input type="hidden" name="approve" value="false" data-type="bool">{}"#,
                field(
                    &format!("back{id}"),
                    t("work.reason"),
                    &format!(r#"<input id="back{id}" name="reason" required maxlength="500">"#)
                )
            ),
            t("work.send_back"),
        );
        out.push_str(&format!(
            "{approve}<details><summary>{}</summary>{back}</details>",
            t("work.send_back")
        ));
    }
    if powers.edit && n.status != "closed" {
        let reasons: String = DATE_CHANGE_REASONS
            .iter()
            .map(|(code, zh)| {
                format!(
                    r#"<option value="{code}">{}</option>"#,
                    if cx.lang == Lang::Zh { zh } else { code }
                )
            })
            .collect();
        let inner = format!(
            "{}{}{}",
            field(
                &format!("new{id}"),
                t("work.new_date"),
                &format!(r#"<input id="new{id}" name="new_planned_on" type="date" required>"#)
            ),
            field(
                &format!("why{id}"),
                t("work.reason"),
                &format!(r#"<select id="why{id}" name="reason_code">{reasons}</select>"#)
            ),
            field(
                &format!("whytext{id}"),
                t("work.reason_text"),
                &format!(r#"<input id="whytext{id}" name="reason_text" required maxlength="500">"#)
            ),
        );
        out.push_str(&format!(
            "<details><summary>{}</summary>{}</details>",
            t("work.date_change"),
            form(
                &format!("/api/v1/nodes/{id}/date-change"),
                "json",
                "stack",
                &inner,
                t("work.submit")
            )
        ));
    }
    for c in pending {
        let label = DATE_CHANGE_REASONS
            .iter()
            .find(|(code, _)| *code == c.reason_code)
            .map(|(_, zh)| *zh)
            .unwrap_or(c.reason_code.as_str());
        out.push_str(&format!(
            r#"<p class="pending">{} {} → {}（{}：{}，{}）</p>"#,
            t("work.pending_change"),
            c.old_planned_on,
            c.new_planned_on,
            esc(label),
            esc(&c.reason_text),
            esc(&c.requested_by)
        ));
        if powers.verify {
            let api = format!("/api/v1/date-changes/{}/decide", c.id);
            out.push_str(&form(
                &api,
                "json",
                "inline",
                r#"<input type="hidden" name="approve" value="true" data-type="bool">"#,
                t("work.approve"),
            ));
            out.push_str(&form(
                &api,
                "json",
                "inline",
                &format!(
                    r#"<input type="hidden" name="approve" value="false" data-type="bool"><label class="sr" for="no{cid}">{l}</label><input id="no{cid}" name="note" placeholder="{l}" maxlength="500">"#,
                    cid = c.id,
                    l = t("work.reason")
                ),
                t("work.reject"),
            ));
        }
    }
    if out.is_empty() { "—".into() } else { out }
}

/// The schedule's versions (baseline, then each approved change) and what moved since the
/// baseline, node by node.
pub fn schedule_panel(
    cx: &Ctx,
    nodes: &[zhantu_domain::schedule::BaselineNode],
    all: &[zhantu_domain::schedule::ScheduleVersion],
) -> String {
    let t = |k: &str| cx.t(k);
    if all.len() <= 1 {
        return format!(r#"<p class="empty">{}</p>"#, t("work.no_changes"));
    }
    let names: std::collections::HashMap<i64, &str> = nodes.iter().map(|n| (n.node_id, n.name.as_str())).collect();
    let rows: String = all
        .iter()
        .filter_map(|v| v.change.as_ref().map(|c| (v.version, c)))
        .map(|(version, c)| {
            format!(
                "<tr><td>v{version}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(names.get(&c.node_id).copied().unwrap_or("")),
                c.from,
                c.to,
                (c.to - c.from).num_days(),
                esc(&c.reason),
                esc(&c.requested_by),
                esc(&format!("{} {}", c.approved_by, zhantu_store::beijing_time(&c.approved_at)))
            )
        })
        .collect();
    let shifts = zhantu_domain::schedule::compare(nodes, all, 0, all.len() - 1).unwrap_or_default();
    let moved: String = shifts
        .iter()
        .filter(|s| s.days != 0)
        .map(|s| format!("<li>{}：{} → {}（{:+}天）</li>", esc(&s.name), s.from, s.to, s.days))
        .collect();
    let th: String = [
        "work.version",
        "project.node",
        "work.moved",
        "work.days",
        "work.reason",
        "work.requested_by",
        "work.approved_by",
    ]
    .iter()
    .map(|k| format!(r#"<th scope="col">{}</th>"#, t(k)))
    .collect();
    format!(
        r#"<div class="table-wrap"><table><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table></div><p>{}</p><ul class="plain">{moved}</ul>"#,
        t("work.since_baseline")
    )
}
