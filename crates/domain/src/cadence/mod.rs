//! The four reports of the cadence (周例会简报 / 月度分析 / 两月督查清单 / 季度督评), as pure
//! models built from plain inputs. A model is a document: title, period, headline paragraphs,
//! sections with paragraphs, tables and charts, and the key figures a later issue is compared
//! on. The store gathers the inputs; `crates/report` renders a model as PDF and .docx; the
//! web shows it as HTML. A model serialises to JSON and back, so an issued (frozen) report is
//! re-rendered exactly from what was stored.
//!
//! One file per report: `weekly.rs` (周例会简报), `monthly.rs` (月度分析), `supervision.rs`
//! (两月督查清单), `quarterly.rs` (季度督评, with the evaluation's weights and scores); the
//! period a report covers is `period.rs`; characters a document's fonts cannot draw are
//! `glyphs.rs`; this module holds the document model they share.

#[cfg(test)]
mod english;
mod glyphs;
mod monthly;
mod period;
mod quarterly;
mod supervision;
mod weekly;

pub use glyphs::{MISSING_GLYPHS, MissingGlyph, SUBSTITUTE, check_issue, missing_glyphs, substitute, substitution_note};
pub use monthly::{GroupInvestment, MonthlyInputs, monthly};
pub use period::{ReportPeriod, day_month_en, month_abbr, month_name};
pub use quarterly::{EvaluationWeights, QuarterOutcomes, QuarterlyInputs, UnitMeasures, UnitScore, quarterly, score_units};
pub use supervision::{LaggingProject, SupervisionInputs, SupervisionRoundInput, is_lagging, supervision};
pub use weekly::{NodeDue, OpenProblem, RedProject, WeekEvent, WeeklyInputs, weekly};

use crate::figures::Pct1;
use crate::labelled::code_labels;
pub use crate::lang::Lang;
use crate::money::Money;
use crate::table::{Cell, ColKind, Column, Table, cell_from};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Why a report request is refused (the web turns it into a 400 with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("报告类型无效：{0}（可选 weekly、monthly、supervision、quarterly）")]
    Kind(String),
    #[error("报告期无效：{0}（{hint}）", hint = .1.period_hint(Lang::Zh))]
    Period(String, ReportKind),
    /// The five weights' sum, which is not 100.
    #[error("考核权重无效：五项权重之和应为100，现为{0}")]
    Weights(u32),
}

impl ReportError {
    /// The refusal in `lang` (`Display` is the Chinese).
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.to_string(),
            Lang::En => match self {
                ReportError::Kind(k) => format!("No such kind of report: {k} (weekly, monthly, supervision or quarterly)."),
                ReportError::Period(p, kind) => format!("Not a valid report period: {p} ({}).", kind.period_hint(Lang::En)),
                ReportError::Weights(sum) => format!("The five weights must add up to 100; they add up to {sum}."),
            },
        }
    }
}

/// The four reports of the cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 周例会简报: new reds, nodes due, problems to coordinate.
    Weekly,
    /// 月度分析: investment vs plan and 序时进度, landing rates, FAI growth, by unit and category.
    Monthly,
    /// 两月督查清单: lagging projects with causes and owners.
    Supervision,
    /// 季度督评: unit scores from the published weights, and the ranking.
    Quarterly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Weekly,
        ReportKind::Monthly,
        ReportKind::Supervision,
        ReportKind::Quarterly,
    ];

    pub fn parse(s: &str) -> Result<ReportKind, ReportError> {
        ReportKind::from_code(s).ok_or_else(|| ReportError::Kind(s.to_string()))
    }
    /// The text reports, which also come as .docx.
    pub fn has_docx(self) -> bool {
        !matches!(self, ReportKind::Quarterly)
    }
    /// How a period of this kind is written, e.g. for a form's placeholder.
    pub fn label(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }
    /// How a period of this kind is written, said in `lang`.
    pub fn period_hint(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (ReportKind::Weekly, Lang::Zh) => "周报期应写作 2019-W50",
            (ReportKind::Monthly, Lang::Zh) => "月报期应写作 2019-12",
            (ReportKind::Supervision, Lang::Zh) => "两月期应写作 2019-B6（11—12月）",
            (ReportKind::Quarterly, Lang::Zh) => "季度应写作 2019-Q4",
            (ReportKind::Weekly, Lang::En) => "a week is written 2019-W50",
            (ReportKind::Monthly, Lang::En) => "a month is written 2019-12",
            (ReportKind::Supervision, Lang::En) => "two months are written 2019-B6 (November and December)",
            (ReportKind::Quarterly, Lang::En) => "a quarter is written 2019-Q4",
        }
    }
    pub fn period_example(self) -> &'static str {
        match self {
            ReportKind::Weekly => "2019-W50",
            ReportKind::Monthly => "2019-12",
            ReportKind::Supervision => "2019-B6",
            ReportKind::Quarterly => "2019-Q4",
        }
    }
}

code_labels!(ReportKind {
    Weekly = "weekly", "重大项目周例会简报", "Weekly meeting brief";
    Monthly = "monthly", "重大项目建设月度分析", "Monthly analysis";
    Supervision = "supervision", "重大项目两月督查清单", "Bimonthly supervision list";
    Quarterly = "quarterly", "重大项目季度督评通报", "Quarterly evaluation";
});

// ---------------------------------------------------------------------------------------------
// The document model.

/// A table cell of a report: typed, so the spreadsheet keeps numbers as numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum DocCell {
    Empty,
    Text(String),
    Int(i64),
    /// Integer 元, shown in 万元 with two decimals.
    Money(i64),
    /// Tenths of a percent.
    Pct(i64),
    /// A number with one decimal and no unit (tenths): points, percentage points.
    Tenths(i64),
    Date(NaiveDate),
}

impl DocCell {
    /// The cell as a reader sees it in a document.
    pub fn display(&self) -> String {
        match self {
            DocCell::Empty => "—".into(),
            DocCell::Text(s) => s.clone(),
            DocCell::Int(i) => i.to_string(),
            DocCell::Money(y) => wan2(Money::from_yuan(*y)),
            DocCell::Pct(t) => format!("{}%", Pct1(*t)),
            DocCell::Tenths(t) => Pct1(*t).to_string(),
            DocCell::Date(d) => d.to_string(),
        }
    }
    /// Numbers are right-aligned in every rendering.
    pub fn is_number(&self) -> bool {
        matches!(self, DocCell::Int(_) | DocCell::Money(_) | DocCell::Pct(_) | DocCell::Tenths(_))
    }
}

cell_from!(DocCell {
    &str => |s| DocCell::Text(s.into());
    String => |s| DocCell::Text(s);
    u32 => |v| DocCell::Int(v as i64);
    i64 => |v| DocCell::Int(v);
    Money => |v| DocCell::Money(v.yuan());
    Pct1 => |v| DocCell::Pct(v.tenths());
    NaiveDate => |v| DocCell::Date(v);
});

/// A table of a report section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocTable {
    /// The sheet name in the spreadsheet (≤ 31 characters).
    pub sheet: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<DocCell>>,
    /// Rows left out of the document for length (the spreadsheet has them all).
    #[serde(default)]
    pub omitted: u32,
}

impl DocTable {
    pub fn new(sheet: &str, caption: &str, columns: &[&str]) -> DocTable {
        DocTable {
            sheet: sheet.into(),
            caption: caption.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            omitted: 0,
        }
    }
    pub fn row(&mut self, cells: Vec<DocCell>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }

    /// The neutral table for the spreadsheet writer; a column's kind comes from its cells.
    pub fn to_table(&self) -> Table {
        let kinds: Vec<ColKind> = (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| &r[i])
                    .find(|c| !matches!(c, DocCell::Empty))
                    .map(|c| match c {
                        DocCell::Int(_) => ColKind::Int,
                        DocCell::Money(_) => ColKind::Money,
                        DocCell::Pct(_) => ColKind::Pct,
                        DocCell::Date(_) => ColKind::Date,
                        _ => ColKind::Text,
                    })
                    .unwrap_or(ColKind::Text)
            })
            .collect();
        let mut t = Table::new(
            self.sheet.clone(),
            self.columns.iter().zip(&kinds).map(|(h, k)| Column::new(h.clone(), *k)).collect(),
        );
        t.title = Some(self.caption.clone());
        t.rows = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&kinds)
                    .map(|(c, k)| match (c, k) {
                        (DocCell::Empty, _) => Cell::Empty,
                        (DocCell::Int(i), ColKind::Int) => Cell::Int(*i),
                        (DocCell::Money(y), ColKind::Money) => Cell::Money(Money::from_yuan(*y)),
                        (DocCell::Pct(p), ColKind::Pct) => Cell::Pct(Pct1(*p)),
                        (DocCell::Date(d), ColKind::Date) => Cell::Date(*d),
                        (other, _) => Cell::Text(other.display()),
                    })
                    .collect()
            })
            .collect();
        t
    }
}

/// A bar chart: one bar per label and series. Values are tenths (of a percent, or of the unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// What the values are, e.g. "%" or "亿元".
    pub unit: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// A reference line (e.g. 序时进度), in tenths.
    pub reference: Option<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub charts: Vec<Chart>,
    pub tables: Vec<DocTable>,
}

impl Section {
    fn new(heading: &str) -> Section {
        Section {
            heading: heading.into(),
            paragraphs: Vec::new(),
            charts: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// A figure that a later issue of the same kind is compared on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// One report, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    /// The language the report is written in (absent in the JSON of a Chinese one, as before
    /// there was an English one).
    #[serde(default, skip_serializing_if = "Lang::is_zh")]
    pub lang: Lang,
    pub period: ReportPeriod,
    pub period_code: String,
    pub period_label: String,
    pub title: String,
    /// The issuing office, e.g. 椒江区重大项目建设工作领导小组办公室.
    pub office: String,
    pub district: String,
    /// The issue number (第X期) once issued; drafts have none.
    pub issue_no: Option<u32>,
    /// The audit chain's head when it was issued (the last entry's number and hash), printed
    /// on the issued document: a paper or PDF copy then witnesses the log as it stood, and a
    /// later rewrite of the log no longer matches it (`zhantu audit verify`).
    #[serde(default)]
    pub audit_head: Option<(i64, String)>,
    /// The date the figures are as of.
    pub as_of: NaiveDate,
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
    pub key_figures: Vec<KeyFigure>,
}

impl Report {
    /// The document-number-like line under the title.
    pub fn doc_number(&self) -> String {
        if self.lang == Lang::En {
            return match self.issue_no {
                Some(n) => {
                    let head = match &self.audit_head {
                        Some((seq, hash)) => format!(" · audit chain entry {seq} {}", hash.get(..12).unwrap_or(hash)),
                        None => String::new(),
                    };
                    format!("{} · {} No. {}{head}", self.office, self.period.plan_year(), n)
                }
                None => format!("{} · {} (draft, not issued)", self.office, self.period.plan_year()),
            };
        }
        match self.issue_no {
            Some(n) => {
                let head = match &self.audit_head {
                    Some((seq, hash)) => format!(" · 审计链第{seq}条 {}", hash.get(..12).unwrap_or(hash)),
                    None => String::new(),
                };
                format!("{} · {}年第{}期{head}", self.office, self.period.plan_year(), n)
            }
            None => format!("{} · {}（草稿，未签发）", self.office, self.period.plan_year()),
        }
    }
    /// Every table, for the spreadsheet.
    pub fn tables(&self) -> Vec<Table> {
        let mut key = match self.lang {
            Lang::Zh => DocTable::new(
                "主要指标",
                &format!("{} {}主要指标", self.title, self.period_label),
                &["指标", "数值"],
            ),
            Lang::En => DocTable::new(
                "Key figures",
                &format!("{}, {}: key figures", self.title, self.period_label),
                &["Figure", "Value"],
            ),
        };
        for k in &self.key_figures {
            key.row(vec![k.label.clone().into(), k.value.clone().into()]);
        }
        std::iter::once(key.to_table())
            .chain(self.sections.iter().flat_map(|s| s.tables.iter().map(DocTable::to_table)))
            .collect()
    }
    /// A file name for a download, e.g. `重大项目建设月度分析-2019-12.pdf`.
    pub fn file_name(&self, ext: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{}-{}.{ext}", self.kind.label_zh(), self.period_code),
            Lang::En => format!(
                "{}-{}.{ext}",
                self.kind.label_en().to_lowercase().replace(' ', "-"),
                self.period_code
            ),
        }
    }
    /// Text in brackets after a title: `（2019年12月）`, `(December 2019)`.
    pub fn bracketed(&self, s: &str) -> String {
        match self.lang {
            Lang::Zh => format!("（{s}）"),
            Lang::En => format!("({s})"),
        }
    }
    /// The note under a table cut for length.
    pub fn omitted_note(&self, n: u32) -> String {
        match self.lang {
            Lang::Zh => format!("（另有{n}项，详见 Excel 附表）"),
            Lang::En => format!("({n} more rows in the Excel workbook)"),
        }
    }
    /// The date line under the signature: `2019年12月31日`, `31 December 2019`.
    pub fn date_line(&self) -> String {
        use chrono::Datelike;
        let d = self.as_of;
        match self.lang {
            Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Lang::En => format!("{} {} {}", d.day(), month_name(d.month()), d.year()),
        }
    }
}

/// Key figures of two issues side by side (the later issue first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureChange {
    pub key: String,
    pub label: String,
    pub current: Option<String>,
    pub previous: Option<String>,
    pub changed: bool,
}

pub fn compare(current: &Report, previous: Option<&Report>) -> Vec<FigureChange> {
    let mut out: Vec<FigureChange> = current
        .key_figures
        .iter()
        .map(|k| {
            let prev = previous
                .and_then(|p| p.key_figures.iter().find(|q| q.key == k.key))
                .map(|q| q.value.clone());
            FigureChange {
                key: k.key.clone(),
                label: k.label.clone(),
                changed: prev.as_deref() != Some(k.value.as_str()),
                current: Some(k.value.clone()),
                previous: prev,
            }
        })
        .collect();
    if let Some(p) = previous {
        for q in &p.key_figures {
            if !current.key_figures.iter().any(|k| k.key == q.key) {
                out.push(FigureChange {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    current: None,
                    previous: Some(q.value.clone()),
                    changed: true,
                });
            }
        }
    }
    out
}

/// Money in 万元 with two decimals and thousands separators, without the unit.
pub fn wan2(m: Money) -> String {
    m.display_wan().trim_end_matches("万元").to_string()
}

fn pct_text(p: Option<Pct1>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// "超过/低于序时进度X个百分点".
fn vs_time_progress(lang: Lang, points: Option<Pct1>) -> String {
    match (lang, points) {
        (Lang::Zh, Some(p)) if p.0 >= 0 => format!("超过序时进度{}个百分点", p),
        (Lang::Zh, Some(p)) => format!("低于序时进度{}个百分点", Pct1(-p.0)),
        (Lang::Zh, None) => "暂无年度计划".into(),
        (Lang::En, Some(p)) if p.0 >= 0 => format!("{} percentage points ahead of time progress", p),
        (Lang::En, Some(p)) => format!("{} percentage points behind time progress", Pct1(-p.0)),
        (Lang::En, None) => "no annual plan yet".into(),
    }
}

/// An amount in a sentence: `2.00亿元` / `2,000.00万元`, in English always in 10k CNY (as the
/// tables are): `20,000.00 (10k CNY)`.
fn money_text(lang: Lang, m: Money) -> String {
    match lang {
        Lang::Zh => m.display_auto(),
        Lang::En => format!("{} (10k CNY)", wan2(m)),
    }
}

/// A list in a sentence: `甲、乙` / `甲, 乙`.
fn join_list(lang: Lang, items: &[String]) -> String {
    items.join(lang.pick("、", ", "))
}

fn key(k: &str, label: &str, value: String) -> KeyFigure {
    KeyFigure {
        key: k.into(),
        label: label.into(),
        value,
    }
}

/// Long lists are cut in the document (the spreadsheet keeps every row).
pub const MAX_DOC_ROWS: usize = 40;

/// Fills a list whose first column is 序号: one row per item, numbered from 1 before `cells`,
/// cut at `MAX_DOC_ROWS`.
fn numbered_rows<T>(t: &mut DocTable, items: impl IntoIterator<Item = T>, cells: impl Fn(T) -> Vec<DocCell>) {
    let all: Vec<Vec<DocCell>> = items
        .into_iter()
        .enumerate()
        .map(|(n, item)| std::iter::once(DocCell::Int(n as i64 + 1)).chain(cells(item)).collect())
        .collect();
    let n = all.len();
    t.rows = all.into_iter().take(MAX_DOC_ROWS).collect();
    t.omitted = n.saturating_sub(MAX_DOC_ROWS) as u32;
}

/// What every report states about where it comes from.
#[derive(Debug, Clone)]
pub struct Header {
    pub district: String,
    pub office: String,
    pub as_of: NaiveDate,
}

impl Header {
    /// The issuing office as a report in `lang` names it.
    pub fn office_in(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.office.clone(),
            Lang::En => format!("{} Major Projects Leading Group Office", self.district),
        }
    }
}

/// A report's title: the district's name and the report's kind (`椒江区重大项目周例会简报`,
/// `椒江区: major projects weekly meeting brief`).
pub fn report_title(lang: Lang, kind: ReportKind, district: &str) -> String {
    match lang {
        Lang::Zh => format!("{district}{}", kind.label_zh()),
        Lang::En => format!("{district}: major projects {}", kind.label_en().to_lowercase()),
    }
}

fn report(lang: Lang, kind: ReportKind, period: ReportPeriod, h: &Header) -> Report {
    Report {
        kind,
        lang,
        period,
        period_code: period.code(),
        period_label: period.label(lang),
        title: report_title(lang, kind, &h.district),
        office: h.office_in(lang),
        district: h.district.clone(),
        issue_no: None,
        audit_head: None,
        as_of: h.as_of,
        summary: Vec::new(),
        sections: Vec::new(),
        key_figures: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo district's header, as of the end of 2019: what the reports' tests issue under.
    pub(crate) fn header() -> Header {
        Header {
            district: "椒江区".into(),
            office: "椒江区重大项目建设工作领导小组办公室".into(),
            as_of: crate::date::d(2019, 12, 31),
        }
    }

    #[test]
    fn doc_table_keeps_types_for_the_spreadsheet() {
        let mut t = DocTable::new("表", "标题", &["名称", "金额", "比率"]);
        t.row(vec!["甲".into(), Money::from_wan(12).into(), Pct1(805).into()]);
        let table = t.to_table();
        assert_eq!(table.columns[1].kind, ColKind::Money);
        assert_eq!(table.rows[0][2], Cell::Pct(Pct1(805)));
        assert_eq!(DocCell::Money(Money::from_wan(12345).yuan()).display(), "12,345.00");
        assert_eq!(DocCell::Pct(805).display(), "80.5%");
    }
}
