//! The report as an HTML document (`templates/cadence/document.html`): the same text and
//! tables as the PDF, charts drawn by ECharts from the option the server writes.

use crate::page::{Markup, data_text};
use askama::Template;
use serde_json::json;
use zhantu_domain::cadence::Chart;
use zhantu_domain::cadence::DocCell;
use zhantu_domain::cadence::DocTable;
use zhantu_domain::cadence::Report;

#[derive(Template)]
#[template(path = "cadence/document.html")]
struct Document<'a> {
    r: &'a Report,
    /// An English report: its title is words with the district's name in them (a Chinese
    /// one's title is marked as a whole, as before).
    en: bool,
    title: Markup,
    /// The document number, the period in brackets and the office, data marked (English).
    doc_number: Markup,
    period: String,
    office: Markup,
    summary: Vec<Markup>,
    sections: Vec<Section<'a>>,
    signed_on: String,
}

struct Section<'a> {
    heading: &'a str,
    paragraphs: Vec<Markup>,
    charts: Vec<ChartView<'a>>,
    tables: Vec<TableView<'a>>,
}

struct ChartView<'a> {
    /// Numbered through the whole document.
    n: usize,
    title: &'a str,
    /// The title with the unit in brackets.
    caption: String,
    /// The height class, 2 to 9 (hundreds of pixels).
    size: usize,
    /// The ECharts option as JSON (escaped by the template like any attribute).
    option: String,
}

struct TableView<'a> {
    caption: &'a str,
    columns: &'a [String],
    rows: Vec<Vec<CellView>>,
    omitted: u32,
    /// Says how many rows were left out for the Excel workbook.
    omitted_note: String,
}

struct CellView {
    num: bool,
    text: String,
}

/// The document, for the report pages.
pub fn document_html(r: &Report) -> Markup {
    let mut chart_no = 0;
    let marked = |s: &str| data_text(r.lang, s);
    let sections = r
        .sections
        .iter()
        .map(|s| Section {
            heading: &s.heading,
            paragraphs: s.paragraphs.iter().map(|p| marked(p)).collect(),
            charts: s
                .charts
                .iter()
                .map(|c| {
                    chart_no += 1;
                    chart_view(r, chart_no, c)
                })
                .collect(),
            tables: s.tables.iter().map(|t| table_view(r, t)).collect(),
        })
        .collect();
    Markup::of(&Document {
        r,
        en: r.lang == zhantu_domain::cadence::Lang::En,
        title: marked(&r.title),
        doc_number: marked(&r.doc_number()),
        period: r.bracketed(&r.period_label),
        office: marked(&r.office),
        summary: r.summary.iter().map(|p| marked(p)).collect(),
        sections,
        signed_on: r.date_line(),
    })
}

fn chart_view<'a>(r: &Report, n: usize, c: &'a Chart) -> ChartView<'a> {
    let colours = ["#2f5597", "#a5a5a5", "#c55a11"];
    let mut series: Vec<serde_json::Value> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "name": s.name, "type": "bar",
                "data": s.values.iter().map(|v| *v as f64 / 10.0).collect::<Vec<_>>(),
                "itemStyle": {"color": colours[i % 3]},
                "label": {"show": c.labels.len() <= 12, "position": "right"}
            })
        })
        .collect();
    if let (Some((name, v)), Some(first)) = (&c.reference, series.first_mut()) {
        first["markLine"] = json!({"symbol": "none", "data": [{"xAxis": *v as f64 / 10.0, "name": name}], "lineStyle": {"color": "#c00000"}, "label": {"formatter": format!("{name} {}", *v as f64 / 10.0)}});
    }
    let option = json!({
        "tooltip": {"trigger": "axis"},
        "legend": {"data": c.series.iter().map(|s| &s.name).collect::<Vec<_>>()},
        "grid": {"left": 10, "right": 40, "bottom": 10, "top": 30},
        "xAxis": {"type": "value", "name": c.unit},
        "yAxis": {"type": "category", "inverse": true, "data": c.labels, "axisLabel": {"interval": 0}},
        "series": series,
    });
    let height = 60 + 28 * c.labels.len().max(2) * c.series.len().clamp(1, 2);
    ChartView {
        n,
        title: &c.title,
        caption: format!("{}{}", c.title, r.bracketed(&c.unit)),
        size: (height / 100).clamp(2, 9),
        option: option.to_string(),
    }
}

fn table_view<'a>(r: &Report, t: &'a DocTable) -> TableView<'a> {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| t.rows.iter().map(|r| &r[i]).all(|c| c.is_number() || matches!(c, DocCell::Empty)))
        .collect();
    TableView {
        caption: &t.caption,
        columns: &t.columns,
        rows: t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| CellView {
                        num: numeric[i],
                        text: c.display(),
                    })
                    .collect()
            })
            .collect(),
        omitted: t.omitted,
        omitted_note: r.omitted_note(t.omitted),
    }
}
