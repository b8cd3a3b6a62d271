//! `zhantu report KIND --period P --database DB --format pdf|xlsx|docx|html --out FILE`: one
//! report of the cadence as a file, built from the data now (a draft, not issued).

use super::CliError;
use zhantu_domain::cadence::{Lang, ReportKind, ReportPeriod};
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 报告类型：weekly（周例会简报）、monthly（月度分析）、supervision（两月督查清单）、quarterly（季度督评）
    pub kind: String,
    /// 报告期：2019-W50、2019-12、2019-B6（11—12月）、2019-Q4
    #[arg(long)]
    pub period: String,
    #[arg(long)]
    pub database: String,
    /// pdf、xlsx、docx 或 html
    #[arg(long, default_value = "pdf")]
    pub format: String,
    /// 输出文件（默认：报告名-报告期.格式）
    #[arg(long)]
    pub out: Option<String>,
    /// 报告语言：zh（默认）或 en
    #[arg(long, default_value = "zh")]
    pub lang: String,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let kind = ReportKind::parse(&args.kind).map_err(|e| CliError(e.to_string()))?;
    let period = ReportPeriod::parse(kind, &args.period).map_err(|e| CliError(e.to_string()))?;
    let lang = match args.lang.as_str() {
        "zh" => Lang::Zh,
        "en" => Lang::En,
        other => return Err(CliError(format!("报告语言无效：{other}（可选 zh、en）"))),
    };
    let store = Store::open(&args.database, OpenMode::ExistingOnly).await?;
    let report = store.build_report(period, lang).await?;
    store.close().await;
    // Never silently: a character the format cannot draw is named before the file is written.
    let glyphs = zhantu_report::GlyphCheck::of(&report);
    let warning = match args.format.as_str() {
        "pdf" => glyphs.pdf_warning_zh(),
        "docx" | "xlsx" => glyphs.office_warning_zh(),
        _ => None,
    };
    if let Some(w) = warning {
        eprintln!("警告：{w}");
    }
    let bytes = match args.format.as_str() {
        "pdf" => zhantu_report::pdf(&report),
        "xlsx" => zhantu_report::xlsx(&report),
        "docx" if kind.has_docx() => zhantu_report::docx(&report),
        "docx" => return Err(CliError("季度督评只提供 pdf、xlsx 和 html 格式".into())),
        "html" => Ok(zhantu_report::html(&report).into_bytes()),
        other => return Err(CliError(format!("输出格式无效：{other}（可选 pdf、xlsx、docx、html）"))),
    }
    .map_err(|e| CliError(e.to_string()))?;
    let out = args.out.unwrap_or_else(|| report.file_name(&args.format));
    std::fs::write(&out, &bytes).map_err(|e| CliError(format!("无法写入 {out}：{e}")))?;
    println!("已生成 {}（{}，{} 字节）：{out}", report.title, report.period_label, bytes.len());
    Ok(())
}
