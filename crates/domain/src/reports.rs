//! Progress reports (填报): the period a report covers and what a report must hold. (The four
//! reports of the cadence are `cadence/`.)

use crate::error::{RuleError, refuse, require_text};
use crate::model::ReportPeriod;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};

/// The period a report covers: a week from Monday, or a calendar month.
pub fn period_bounds(kind: ReportPeriod, start: NaiveDate) -> Result<(NaiveDate, NaiveDate), RuleError> {
    match kind {
        ReportPeriod::Week => {
            if start.weekday() != chrono::Weekday::Mon {
                return refuse("report_week_not_monday", "周报的周期应从星期一开始");
            }
            Ok((start, start + chrono::Duration::days(6)))
        }
        ReportPeriod::Month => {
            if start.day() != 1 {
                return refuse("report_month_not_first", "月报的周期应从每月1日开始");
            }
            let next = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
            };
            Ok((start, next.expect("valid").pred_opt().expect("valid")))
        }
    }
}

/// A report states the period's progress; a monthly one's investment is not negative.
pub fn check_report(body: &str, investment: Money) -> Result<(), RuleError> {
    require_text(body, "report_body_empty", "请填写本期进展情况")?;
    if investment.yuan() < 0 {
        return refuse("report_investment_negative", "完成投资不能为负数");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn periods_start_on_monday_or_the_first() {
        assert_eq!(
            period_bounds(ReportPeriod::Week, d(2019, 12, 9)).unwrap(),
            (d(2019, 12, 9), d(2019, 12, 15))
        );
        assert_eq!(
            period_bounds(ReportPeriod::Month, d(2019, 12, 1)).unwrap(),
            (d(2019, 12, 1), d(2019, 12, 31))
        );
        assert_eq!(period_bounds(ReportPeriod::Month, d(2020, 2, 1)).unwrap().1, d(2020, 2, 29));
        assert_eq!(
            period_bounds(ReportPeriod::Week, d(2019, 12, 10)).unwrap_err().code,
            "report_week_not_monday"
        );
        assert_eq!(
            period_bounds(ReportPeriod::Month, d(2019, 12, 2)).unwrap_err().code,
            "report_month_not_first"
        );
        assert_eq!(check_report(" ", Money::ZERO).unwrap_err().code, "report_body_empty");
        assert_eq!(
            check_report("按计划推进", Money::from_yuan(-1)).unwrap_err().code,
            "report_investment_negative"
        );
        assert!(check_report("按计划推进", Money::from_wan(10)).is_ok());
    }
}
