//! The table of problems, shown by the problem list, the monthly lists and an enterprise's
//! page, and the state badges of a problem (state, overdue, escalation: words, not colour
//! alone).

use super::{Ctx, esc, tf};
use zhantu_domain::service::LoopState;
use zhantu_store::service::ProblemItem;

pub fn state_label(cx: &Ctx, s: LoopState) -> &'static str {
    cx.t(&format!("service.state.{}", s.code()))
}

/// The state, with overdue and escalation badges (words, not colour alone).
pub fn badges(cx: &Ctx, p: &ProblemItem) -> String {
    let mut s = format!(
        r#"<span class="pstate pstate-{}">{}</span>"#,
        p.state.code(),
        state_label(cx, p.state)
    );
    if p.overdue {
        s.push_str(&format!(
            r#" <span class="pbadge overdue">{}</span>"#,
            esc(&tf(cx.lang, "service.overdue_days", &[("n", &p.overdue_days.to_string())]))
        ));
    }
    if p.escalation_level > 0 {
        s.push_str(&format!(
            r#" <span class="pbadge level">{}</span>"#,
            esc(&tf(cx.lang, "service.level_n", &[("n", &p.escalation_level.to_string())]))
        ));
    }
    s
}

pub fn problem_rows(cx: &Ctx, items: &[ProblemItem]) -> String {
    let t = |k: &str| cx.t(k);
    if items.is_empty() {
        return format!(r#"<p class="empty">{}</p>"#, t("service.no_problems"));
    }
    let rows: String = items
        .iter()
        .map(|p| {
            let about = p
                .project
                .as_ref()
                .map(|r| format!(r#"<a href="/projects/{}">{}</a>"#, r.id, esc(&r.name)))
                .or_else(|| p.enterprise.as_ref().map(|r| format!(r#"<a href="/enterprises/{}">{}</a>"#, r.id, esc(&r.name))))
                .unwrap_or_else(|| "—".into());
            format!(
                r#"<tr><td class="num"><a href="/problems/{id}">#{id}</a></td><td>{cat}</td><th scope="row"><a href="/problems/{id}">{desc}</a></th><td>{src}</td><td>{about}</td><td>{unit}</td><td>{raised}</td><td>{deadline}</td><td>{state}</td></tr>"#,
                id = p.id,
                cat = esc(&p.category),
                desc = esc(&p.description.chars().take(60).collect::<String>()),
                src = cx.t(&format!("service.source.{}", p.source.code())),
                unit = esc(&p.unit.name),
                raised = p.raised_on,
                deadline = p.deadline,
                state = badges(cx, p),
            )
        })
        .collect();
    format!(
        r#"<div class="table-wrap"><table class="problems"><thead><tr><th scope="col">{c_id}</th><th scope="col">{c_cat}</th><th scope="col">{c_desc}</th><th scope="col">{c_src}</th><th scope="col">{c_about}</th><th scope="col">{c_unit}</th><th scope="col">{c_raised}</th><th scope="col">{c_deadline}</th><th scope="col">{c_state}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
        c_id = t("service.col.id"),
        c_cat = t("service.col.category"),
        c_desc = t("service.col.description"),
        c_src = t("service.col.source"),
        c_about = t("service.col.about"),
        c_unit = t("service.col.unit"),
        c_raised = t("service.col.raised"),
        c_deadline = t("service.col.deadline"),
        c_state = t("service.col.state"),
    )
}
