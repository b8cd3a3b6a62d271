//! The report as an HTML document: the same text and tables as the PDF, charts drawn by
//! ECharts from the server's option.

use crate::page::esc;
use serde_json::json;
use zhantu_domain::reports::{Chart, DocTable, Report};

/// The document, for the report pages.
pub fn document_html(r: &Report) -> String {
    let mut out = format!(
        r#"<article class="report-doc"><h1>{}</h1><p class="report-docno">{}</p><p class="report-period">（{}）</p>"#,
        esc(&r.title),
        esc(&r.doc_number()),
        esc(&r.period_label)
    );
    for p in &r.summary {
        out.push_str(&format!("<p>{}</p>", esc(p)));
    }
    let mut chart_no = 0;
    for s in &r.sections {
        out.push_str(&format!("<h2>{}</h2>", esc(&s.heading)));
        for p in &s.paragraphs {
            out.push_str(&format!("<p>{}</p>", esc(p)));
        }
        for c in &s.charts {
            chart_no += 1;
            out.push_str(&chart_html(chart_no, c));
        }
        for t in &s.tables {
            out.push_str(&table_html(t));
        }
    }
    out.push_str(&format!(
        r#"<p class="report-sign">{}<br>{}</p></article>"#,
        esc(&r.office),
        r.as_of.format("%Y年%-m月%-d日")
    ));
    out
}

fn chart_html(n: usize, c: &Chart) -> String {
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
    format!(
        r#"<figure class="report-chart"><figcaption>{title}（{unit}）</figcaption><div class="chart report-chart-{h}" id="report-chart-{n}" role="img" aria-label="{title}" data-chart="{opt}"></div></figure>"#,
        title = esc(&c.title),
        unit = esc(&c.unit),
        h = (height / 100).clamp(2, 9),
        opt = esc(&option.to_string()),
    )
}

fn table_html(t: &DocTable) -> String {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .iter()
                .map(|r| &r[i])
                .all(|c| c.is_number() || matches!(c, zhantu_domain::reports::DocCell::Empty))
        })
        .collect();
    let head: String = t.columns.iter().map(|c| format!("<th>{}</th>", esc(c))).collect();
    let rows: String = t
        .rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if numeric[i] {
                        format!(r#"<td class="num">{}</td>"#, esc(&c.display()))
                    } else {
                        format!("<td>{}</td>", esc(&c.display()))
                    }
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    let more = if t.omitted > 0 {
        format!(r#"<p class="n">（另有{}项，详见 Excel 附表）</p>"#, t.omitted)
    } else {
        String::new()
    };
    format!(
        r#"<div class="report-table"><table><caption>{}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}</div>"#,
        esc(&t.caption)
    )
}
