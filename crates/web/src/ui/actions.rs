//! The forms of the weekly work on the project page: report a node done with its evidence,
//! verify or send back a reported node, ask to move a planned date, decide such a request,
//! and file a progress report. Each form posts to the JSON API through app.js (`form[data-api]`),
//! so the page and the API share one set of rules and one audit trail; the answer's Chinese
//! message is shown in the form when the API refuses.

use super::{Ctx, esc};
use chrono::NaiveDate;
use zhantu_store::{DATE_CHANGE_REASONS, DateChange, NodeView};

/// What the signed-in user may do on this project.
pub struct Powers {
    /// Report nodes done, ask for date changes, file progress reports.
    pub edit: bool,
    /// Verify close-outs and decide date changes.
    pub verify: bool,
}

fn form(api: &str, enctype: &str, class: &str, inner: &str, submit: &str) -> String {
    format!(
        r#"<form class="api-form {class}" data-api="{api}" data-enctype="{enctype}" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{submit}</button></form>"#,
        api = esc(api),
    )
}

fn field(id: &str, label: &str, input: &str) -> String {
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
                    if cx.lang == super::Lang::Zh { zh } else { code }
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

/// The progress report form (weekly from a Monday, or monthly with the month's investment).
pub fn report_form(cx: &Ctx, project_id: i64, as_of: NaiveDate) -> String {
    let t = |k: &str| cx.t(k);
    let inner = format!(
        r#"{}{}{}{}{}"#,
        field(
            "rep-kind",
            t("project.kind"),
            &format!(
                r#"<select id="rep-kind" name="period_kind"><option value="month">{}</option><option value="week">{}</option></select>"#,
                t("period.month"),
                t("period.week")
            )
        ),
        field(
            "rep-start",
            t("work.period_start"),
            &format!(
                r#"<input id="rep-start" name="period_start" type="date" required value="{}">"#,
                as_of.format("%Y-%m-01")
            )
        ),
        field(
            "rep-body",
            t("project.report"),
            r#"<textarea id="rep-body" name="body" rows="3" required maxlength="4000"></textarea>"#
        ),
        field(
            "rep-inv",
            t("work.investment"),
            r#"<input id="rep-inv" name="investment" inputmode="decimal" placeholder="123.45万元">"#
        ),
        field(
            "rep-problems",
            t("work.problems_met"),
            r#"<textarea id="rep-problems" name="problems" rows="2" maxlength="4000" placeholder="用地：红线外征迁未完成"></textarea>"#
        ),
    );
    format!(
        "<details class=\"report-form\"><summary>{}</summary>{}</details>",
        t("work.file_report"),
        form(
            &format!("/api/v1/projects/{project_id}/reports"),
            "json",
            "stack",
            &inner,
            t("work.submit")
        )
    )
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
