//! 投产项目效益 by import: a project's reported results of a year after it operates (output
//! value, tax, jobs, energy use), the same figures `PUT /projects/{id}/results` takes per year
//! (`crate::results`). A row is known by its project and year and replaces that year's
//! results; the promise at signing stays the form's.

use super::fields::{Field, FieldType as T, PROJECT_CODE, PROJECT_EXTERNAL_ID, f};
use super::rows::{Keyed, ProjectKey, RowIn};
use crate::money::Money;
use crate::results::MAX_COUNT;

pub const RESULTS_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("year", "效益年度", &["年度", "年份"], T::Int, true, "2019"),
    f(
        "output",
        "年产值（万元）",
        &["产值", "年产值", "工业总产值"],
        T::Money,
        true,
        "52000",
    ),
    f("tax", "年税收（万元）", &["税收", "年税收", "实缴税收"], T::Money, true, "3100"),
    f("jobs", "就业人数", &["用工人数", "从业人数"], T::Int, true, "260"),
    f(
        "energy_tce",
        "年综合能耗（吨标准煤）",
        &["综合能耗", "年综合能耗", "能耗"],
        T::Int,
        true,
        "2400",
    ),
];

/// 投产项目效益 row: a project's results of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultsYearRow {
    pub line: u32,
    pub project: ProjectKey,
    pub year: i32,
    pub output: Money,
    pub tax: Money,
    pub jobs: i64,
    pub energy_tce: i64,
}

pub(super) fn results_year_row(r: &mut RowIn) -> Option<ResultsYearRow> {
    let project = r.project();
    let year = r.year("year");
    let (output, tax) = (r.money("output"), r.money("tax"));
    for (key, m, what) in [("output", output, "年产值"), ("tax", tax, "年税收")] {
        if let Some(m) = m.filter(|m| m.yuan() < 0) {
            r.err(key, m.wan_exact(), format!("{what}不能为负数"));
        }
    }
    let (jobs, energy) = (r.int("jobs"), r.int("energy_tce"));
    for (key, n, what) in [("jobs", jobs, "就业人数"), ("energy_tce", energy, "年综合能耗")] {
        if let Some(n) = n.filter(|n| !(0..=MAX_COUNT).contains(n)) {
            r.err(key, n.to_string(), format!("{what}应为0至{MAX_COUNT}之间的整数"));
        }
    }
    let row = ResultsYearRow {
        line: r.line,
        project: project?,
        year: year?,
        output: output?,
        tax: tax?,
        jobs: jobs?,
        energy_tce: energy?,
    };
    r.finish(row)
}

impl Keyed for ResultsYearRow {
    const KEY_FIELD: &'static str = "year";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{} {}", self.project.describe(), self.year))
    }
}

#[cfg(test)]
mod tests {
    use crate::imports::tests::sheet;
    use crate::imports::{ImportKind, Rows, parse_sheet};
    use crate::money::Money;

    #[test]
    fn a_year_row_reads_money_in_wan_and_lists_every_bad_cell() {
        let s = sheet(vec![
            vec![
                "项目代码",
                "效益年度",
                "年产值（万元）",
                "年税收（万元）",
                "就业人数",
                "年综合能耗（吨标准煤）",
            ],
            vec!["2019-331002-34-03-012345", "2019", "52000", "3100", "260", "2400"],
            vec!["2019-331002-34-03-012345", "19", "-1", "很多", "-3", "2400"],
            vec!["2019-331002-34-03-012345", "2019", "1", "1", "1", "1"],
        ]);
        let p = parse_sheet(ImportKind::Results, &s).unwrap();
        let Rows::Results(rows) = &p.rows else { panic!() };
        assert_eq!(rows[0].output, Money::from_wan(52000));
        assert_eq!((rows[0].year, rows[0].jobs, rows[0].energy_tce), (2019, 260, 2400));
        let mut bad: Vec<(u32, &str)> = p.errors.iter().map(|e| (e.row, e.column.as_str())).collect();
        bad.sort();
        assert_eq!(
            bad,
            vec![
                (3, "就业人数"),
                (3, "年产值（万元）"),
                (3, "年税收（万元）"),
                (3, "效益年度"),
                (4, "效益年度")
            ],
            "{:?}",
            p.errors
        );
        assert!(p.errors.iter().any(|e| e.row == 4 && e.reason == "与第2行重复"), "{:?}", p.errors);
    }
}
