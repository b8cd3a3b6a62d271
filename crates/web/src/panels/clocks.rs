//! The project page's approval clocks panel (审批时限), owned by the `clocks` mechanism.

use crate::page::{Ctx, esc, light_badge, opt_date};
use zhantu_store::ProjectClocks;

/// 审批时限: each clock of the project read on the data date, its spans not counted, and for
/// the coordinators the forms to record, end and delete spans (through the JSON API).
pub fn clocks_panel(cx: &Ctx, id: i64, clocks: &ProjectClocks, may_edit: bool) -> String {
    use zhantu_domain::clocks::ClockState;
    use zhantu_domain::model::DayKind;
    let t = |k: &str| cx.t(k);
    let unit = |k: DayKind| {
        t(match k {
            DayKind::Calendar => "clocks.unit.calendar",
            DayKind::Working => "clocks.unit.working",
        })
    };
    let state = |s: ClockState| {
        t(match s {
            ClockState::NotStarted => "clocks.state.not_started",
            ClockState::Running => "clocks.state.running",
            ClockState::Paused => "clocks.state.paused",
            ClockState::Stopped => "clocks.state.stopped",
        })
    };
    let mut out = String::new();
    if clocks.clocks.is_empty() {
        out.push_str(&format!(r#"<p class="empty">{}</p>"#, t("clocks.none")));
    } else {
        let rows: String = clocks
            .clocks
            .iter()
            .map(|c| {
                let r = &c.reading;
                let u = unit(c.day_kind);
                format!(
                    r#"<tr><th scope="row">{}</th><td>{} → {}</td><td class="num">{} {u}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td><td>{} {}</td></tr>"#,
                    esc(&c.name),
                    esc(&c.start_node),
                    esc(&c.stop_node),
                    c.limit_days,
                    r.elapsed,
                    r.excluded,
                    r.remaining,
                    opt_date(r.due_on),
                    light_badge(cx.lang, c.light, None),
                    state(r.state),
                )
            })
            .collect();
        let th: String = [
            "clocks.clock",
            "clocks.nodes",
            "clocks.limit",
            "clocks.elapsed",
            "clocks.excluded",
            "clocks.remaining",
            "clocks.due",
            "clocks.state",
        ]
        .iter()
        .map(|h| format!(r#"<th scope="col">{}</th>"#, t(h)))
        .collect();
        out.push_str(&format!(
            r#"<div class="table-wrap"><table class="clocks"><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table></div>"#
        ));
    }
    out.push_str(&format!("<h3>{}</h3>", t("clocks.exclusions")));
    let api_form = |api: String, method: &str, inner: String, submit: &str| {
        format!(
            r#"<form class="api-form inline" data-api="{}" data-method="{method}" data-enctype="json" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{submit}</button></form>"#,
            esc(&api)
        )
    };
    let spans: String = clocks
        .exclusions
        .iter()
        .map(|e| {
            let version = format!(r#"<input type="hidden" name="version" value="{}" data-type="number">"#, e.version);
            let actions = if may_edit {
                let close = if e.until.is_none() {
                    api_form(
                        format!("/api/v1/clock-exclusions/{}/close", e.id),
                        "POST",
                        format!(
                            r#"{version}<label class="sr" for="until{sid}">{l}</label><input id="until{sid}" name="until" type="date" value="{as_of}" required>"#,
                            sid = e.id,
                            l = t("clocks.until"),
                            as_of = clocks.as_of
                        ),
                        t("clocks.close"),
                    )
                } else {
                    String::new()
                };
                let delete = api_form(format!("/api/v1/clock-exclusions/{}", e.id), "DELETE", version.clone(), t("clocks.delete"));
                format!("{close}{delete}")
            } else {
                "—".into()
            };
            format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="actions">{actions}</td></tr>"#,
                esc(e.clock_name.as_deref().unwrap_or(t("clocks.all_clocks"))),
                e.from,
                e.until.map(|d| d.to_string()).unwrap_or_else(|| t("clocks.open").to_string()),
                esc(&e.reason),
                esc(&e.created_by),
            )
        })
        .collect();
    if spans.is_empty() {
        out.push_str(&format!(r#"<p class="empty">{}</p>"#, t("common.none")));
    } else {
        let th: String = [
            "clocks.clock",
            "clocks.from",
            "clocks.until",
            "clocks.reason",
            "clocks.by",
            "work.actions",
        ]
        .iter()
        .map(|h| format!(r#"<th scope="col">{}</th>"#, t(h)))
        .collect();
        out.push_str(&format!(
            r#"<div class="table-wrap"><table class="clock-spans"><thead><tr>{th}</tr></thead><tbody>{spans}</tbody></table></div>"#
        ));
    }
    if may_edit && !clocks.clocks.is_empty() {
        let options: String = std::iter::once(format!(r#"<option value="">{}</option>"#, t("clocks.all_clocks")))
            .chain(
                clocks
                    .clocks
                    .iter()
                    .map(|c| format!(r#"<option value="{n}">{n}</option>"#, n = esc(&c.name))),
            )
            .collect();
        let inner = format!(
            r#"<label for="span-clock">{}</label><select id="span-clock" name="clock_name">{options}</select><label for="span-from">{}</label><input id="span-from" name="from" type="date" required max="{as_of}"><label for="span-until">{}</label><input id="span-until" name="until" type="date" max="{as_of}" title="{}"><label for="span-reason">{}</label><input id="span-reason" name="reason" required maxlength="{max}" placeholder="{}">"#,
            t("clocks.clock"),
            t("clocks.from"),
            t("clocks.until"),
            t("clocks.until_hint"),
            t("clocks.reason"),
            t("clocks.reason_hint"),
            as_of = clocks.as_of,
            max = zhantu_domain::clocks::SPAN_REASON_MAX_CHARS,
        );
        out.push_str(&format!(
            r#"<details><summary>{}</summary><form class="api-form stack" data-api="/api/v1/projects/{id}/clock-exclusions" data-enctype="json" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{}</button></form></details>"#,
            t("clocks.add"),
            t("clocks.submit")
        ));
    }
    out
}
