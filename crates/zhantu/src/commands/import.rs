//! `zhantu import FILE --database DB [--kind …] [--sheet …] [--dry-run]`: imports an `.xlsx` or
//! `.csv` file all or nothing, with a progress bar on stderr. Every bad row is printed (row,
//! column, value, reason) and the command exits with status 1, having written nothing.

use super::CliError;
use std::io::Write;
use std::time::Instant;
use zhantu_domain::imports::ImportKind;
use zhantu_store::{AuditCtx, OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 要导入的文件（.xlsx 或 .csv）
    pub file: String,
    /// 目标数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long)]
    pub database: String,
    /// 数据类型（默认按表头识别），整区导入时依次为：units、people、categories、projects、
    /// project_years、stage_history、nodes、investment、reports、fai、enterprises、visits、
    /// problems、batches、campaigns、supervision、land
    #[arg(long)]
    pub kind: Option<String>,
    /// 工作表名称（默认与类型同名的工作表，否则第一个）
    #[arg(long)]
    pub sheet: Option<String>,
    /// 只检查、不写入
    #[arg(long)]
    pub dry_run: bool,
}

/// Peak resident memory of this process (VmHWM), in MiB, where /proc tells it.
pub fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn peak_rss_text() -> String {
    peak_rss_mib().map(|m| format!("{m:.0} MiB")).unwrap_or_else(|| "未知".into())
}

/// A progress bar on stderr: `[#####.....] 5000/10000`.
fn draw_bar(label: &str, done: usize, total: usize) {
    let width = 30;
    let filled = (done * width).checked_div(total).map_or(width, |f| f.min(width));
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r{label} [{}{}] {done}/{total}",
        "#".repeat(filled),
        ".".repeat(width - filled)
    );
    let _ = err.flush();
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let started = Instant::now();
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => Some(ImportKind::from_code(k).ok_or_else(|| CliError(format!("--kind “{k}”无效：应为 {} 之一", ImportKind::codes())))?),
    };
    let bytes = std::fs::read(&args.file).map_err(|e| CliError(format!("无法读取文件 {}：{e}", args.file)))?;
    eprintln!("读取 {} …", args.file);
    let parsed = zhantu_office::read_import(&bytes, &args.file, kind, args.sheet.as_deref()).map_err(|e| CliError(e.to_string()))?;
    drop(bytes);
    let read_secs = started.elapsed().as_secs_f64();
    eprintln!(
        "工作表“{}”：{}，{} 行数据（读取 {:.1} 秒）",
        parsed.sheet,
        parsed.kind.label_zh(),
        parsed.data_rows,
        read_secs
    );
    let store = Store::open(&args.database, OpenMode::ExistingOnly).await?;
    let label = if args.dry_run { "检查" } else { "导入" };
    let progress = move |done: usize, total: usize| draw_bar(label, done, total);
    let outcome = store
        .apply_import(&parsed, args.dry_run, &AuditCtx::system("cli-import"), &progress)
        .await?;
    eprintln!();
    store.close().await;
    if !outcome.errors.is_empty() {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "行\t列\t值\t原因");
        for e in &outcome.errors {
            let _ = writeln!(out, "{}\t{}\t{}\t{}", e.row, e.column, e.value, e.reason);
        }
        return Err(CliError(format!("发现 {} 处错误，未写入任何数据。", outcome.errors.len())));
    }
    println!(
        "{}{}：{} 行，新增 {}，修改 {}，未变 {}，移除 {}；用时 {:.1} 秒，峰值内存 {}。",
        if args.dry_run {
            "试导入通过（未写入）"
        } else {
            "导入完成"
        },
        parsed.kind.label_zh(),
        outcome.rows,
        outcome.created,
        outcome.changed,
        outcome.unchanged,
        outcome.removed,
        started.elapsed().as_secs_f64(),
        peak_rss_text()
    );
    Ok(())
}
