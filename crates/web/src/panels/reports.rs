//! The project page's progress report form (进度填报), owned by the `reports` mechanism.

use super::nodes::{field, form};
use crate::page::Ctx;
use chrono::NaiveDate;

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
