//! 列统投资 by import: the statistics bureau's counted investment of a project, year to month
//! (累计列统投资), as `statistics_counted` keeps it (`crate::statistics`). A row names its
//! project by its code (or external id), or by its statistics code (统计代码) given at entry;
//! it is known by its project and month and replaces that month's figure.

use super::fields::{Field, FieldType as T, PROJECT_CODE, PROJECT_EXTERNAL_ID, f};
use super::rows::{Keyed, ProjectKey, RowIn};
use crate::money::Money;
use crate::statistics::parse_statistics_code;

pub const COUNTED_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("statistics_code", "统计代码", &["统计库代码", "入库代码"], T::Text, false, ""),
    f("month", "列统月份", &["月份", "统计月份", "年月"], T::Month, true, "2019-03"),
    f(
        "cumulative",
        "累计列统投资（万元）",
        &["列统投资", "累计列统投资", "列统累计投资"],
        T::Money,
        true,
        "3200",
    ),
];

/// 列统投资 row: a project's counted investment, year to month.
#[derive(Debug, Clone, PartialEq)]
pub struct CountedRow {
    pub line: u32,
    /// The project by its code or external id, if the row names it so.
    pub project: Option<ProjectKey>,
    /// The project by its statistics code, if the row names it so (capitals).
    pub statistics_code: Option<String>,
    pub year: i32,
    pub month: u32,
    pub cumulative: Money,
}

impl CountedRow {
    /// How the row names its project, for keys and messages.
    pub fn describe(&self) -> String {
        match (&self.project, &self.statistics_code) {
            (Some(p), _) => p.describe(),
            (None, Some(c)) => c.clone(),
            (None, None) => String::new(),
        }
    }
}

pub(super) fn counted_row(r: &mut RowIn) -> Option<CountedRow> {
    let project = r.project_opt();
    let statistics_code = r
        .text("statistics_code")
        .map(|_| r.checked("statistics_code", parse_statistics_code));
    if project.is_none() && statistics_code.is_none() {
        r.err("project_code", "", "须填写项目代码、项目外部编号或统计代码");
    }
    let cumulative = r.money("cumulative");
    if let Some(c) = cumulative.filter(|c| c.yuan() < 0) {
        r.err("cumulative", c.wan_exact(), "累计列统投资不能为负数");
    }
    let (year, month) = r.month("month")?;
    let row = CountedRow {
        line: r.line,
        project,
        statistics_code,
        year,
        month,
        cumulative: cumulative?,
    };
    r.finish(row)
}

impl Keyed for CountedRow {
    const KEY_FIELD: &'static str = "month";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{} {}-{:02}", self.describe(), self.year, self.month))
    }
}

#[cfg(test)]
mod tests {
    use crate::imports::tests::sheet;
    use crate::imports::{ImportKind, Rows, parse_sheet};
    use crate::money::Money;

    #[test]
    fn a_counted_row_names_its_project_by_code_or_statistics_code() {
        let s = sheet(vec![
            vec!["项目代码", "统计代码", "列统月份", "累计列统投资（万元）"],
            vec!["2019-331002-34-03-012345", "", "2019-03", "3200"],
            vec!["", "6402-2019-0012", "2019年4月", "4100"],
            vec!["", "", "2019-05", "-1"],
            vec!["", "代码!", "2019-05", "10"],
        ]);
        let p = parse_sheet(ImportKind::StatisticsCounted, &s).unwrap();
        let Rows::StatisticsCounted(rows) = &p.rows else { panic!() };
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].year, rows[0].month, rows[0].cumulative), (2019, 3, Money::from_wan(3200)));
        assert_eq!((rows[1].statistics_code.as_deref(), rows[1].month), (Some("6402-2019-0012"), 4));
        let mut bad: Vec<(u32, &str)> = p.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        bad.sort();
        assert_eq!(
            bad,
            vec![(4, "累计列统投资（万元）"), (4, "项目代码"), (5, "统计代码")],
            "{:?}",
            p.errors
        );
    }
}
