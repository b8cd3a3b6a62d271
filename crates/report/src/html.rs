//! A standalone HTML file of a report (what `zhantu report --format html` writes): the same
//! text and tables as the PDF, charts as inline SVG bars, no script and no external file.

use crate::{date_label, numeric_columns};
use zhantu_domain::cadence::{Chart, Report};
use zhantu_domain::figures::Pct1;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'Noto Serif CJK SC','Source Han Serif SC',SimSun,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.7}\
h1{text-align:center;font-size:1.8rem;margin-bottom:.3rem}.docno{text-align:center;border-bottom:2px solid #c00000;padding-bottom:.4rem}\
.period{text-align:center;font-family:'Noto Sans CJK SC',sans-serif;font-weight:bold}h2{font-family:'Noto Sans CJK SC',sans-serif;font-size:1.15rem}\
p{text-indent:2em;margin:.4rem 0}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.6rem 0}caption{font-weight:bold;font-family:sans-serif}\
th,td{border:1px solid #000;padding:.2rem .35rem}td.num{text-align:right}.sign{text-align:right;text-indent:0}svg text{font-size:11px}";

fn chart_svg(r: &Report, c: &Chart) -> String {
    let top = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .chain(c.reference.iter().map(|r| r.1))
        .max()
        .unwrap_or(1)
        .max(1);
    let colours = ["#2f5597", "#a5a5a5", "#c55a11"];
    let row = 10 * c.series.len() as i64 + 8;
    let height = row * c.labels.len() as i64 + 10;
    let mut out = format!(
        r#"<figure><figcaption>{}{}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="640" height="{height}" role="img" aria-label="{}">"#,
        esc(&c.title),
        esc(&r.bracketed(&c.unit)),
        esc(&c.title)
    );
    for (i, label) in c.labels.iter().enumerate() {
        let y = i as i64 * row + 4;
        out.push_str(&format!(
            r#"<text x="150" y="{}" text-anchor="end">{}</text>"#,
            y + row / 2 + 2,
            esc(label)
        ));
        for (k, s) in c.series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0).max(0);
            let w = v * 400 / top;
            let by = y + k as i64 * 10;
            out.push_str(&format!(
                r#"<rect x="156" y="{by}" width="{w}" height="8" fill="{}"/><text x="{}" y="{}">{}</text>"#,
                colours[k % 3],
                160 + w,
                by + 8,
                Pct1(v)
            ));
        }
    }
    if let Some((_, v)) = &c.reference {
        let x = 156 + v * 400 / top;
        out.push_str(&format!(r##"<line x1="{x}" x2="{x}" y1="0" y2="{height}" stroke="#c00000"/>"##));
    }
    out.push_str("</svg></figure>");
    out
}

/// The report as one self-contained HTML file.
pub fn html(r: &Report) -> String {
    let mut out = format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1><p class="docno">{docno}</p><p class="period">{period}</p>"#,
        lang = if r.lang == zhantu_domain::cadence::Lang::En {
            "en"
        } else {
            "zh-CN"
        },
        title = esc(&r.title),
        docno = esc(&r.doc_number()),
        period = esc(&r.bracketed(&r.period_label)),
    );
    for p in &r.summary {
        out.push_str(&format!("<p>{}</p>", esc(p)));
    }
    for s in &r.sections {
        out.push_str(&format!("<h2>{}</h2>", esc(&s.heading)));
        for p in &s.paragraphs {
            out.push_str(&format!("<p>{}</p>", esc(p)));
        }
        for c in &s.charts {
            out.push_str(&chart_svg(r, c));
        }
        for t in &s.tables {
            let numeric = numeric_columns(t);
            out.push_str(&format!("<table><caption>{}</caption><thead><tr>", esc(&t.caption)));
            for h in &t.columns {
                out.push_str(&format!("<th>{}</th>", esc(h)));
            }
            out.push_str("</tr></thead><tbody>");
            for row in &t.rows {
                out.push_str("<tr>");
                for (i, c) in row.iter().enumerate() {
                    let cls = if numeric[i] { r#" class="num""# } else { "" };
                    out.push_str(&format!("<td{cls}>{}</td>", esc(&c.display())));
                }
                out.push_str("</tr>");
            }
            out.push_str("</tbody></table>");
            if t.omitted > 0 {
                out.push_str(&format!(r#"<p class="sign">{}</p>"#, esc(&r.omitted_note(t.omitted))));
            }
        }
    }
    out.push_str(&format!(
        r#"<p class="sign">{}<br>{}</p></body></html>"#,
        esc(&r.office),
        date_label(r)
    ));
    out
}
