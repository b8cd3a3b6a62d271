//! `zhantu export KIND|figures --database DB --out FILE.xlsx`: the same workbooks the web's
//! export links give, for the whole district; KIND is any import kind (`units`, `projects`,
//! `batches`, …), written in the columns its import reads.

use super::CliError;
use super::import::peak_rss_text;
use std::time::Instant;
use zhantu_domain::imports::ImportKind;
use zhantu_store::{OpenMode, ProjectFilter, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 导出内容：任一导入类型（units、people、categories、projects、project_years、
    /// stage_history、nodes、investment、reports、fai、enterprises、visits、problems、
    /// batches、campaigns、supervision、land）或 figures
    pub what: String,
    /// 数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long)]
    pub database: String,
    /// 输出文件（.xlsx）
    #[arg(long)]
    pub out: String,
    /// 指标年度（figures），默认数据日期所在年
    #[arg(long)]
    pub year: Option<i32>,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let started = Instant::now();
    let store = Store::open(&args.database, OpenMode::ExistingOnly).await?;
    let all = ProjectFilter::default();
    let tables = match (args.what.as_str(), ImportKind::from_code(&args.what)) {
        (_, Some(kind)) => vec![store.export_kind(kind, &all).await?],
        ("figures", None) => {
            let year = match args.year {
                Some(y) => y,
                None => chrono::Datelike::year(&store.as_of().await?),
            };
            let f = store.year_figures(year).await?;
            let v = serde_json::to_value(&f).map_err(|e| CliError(e.to_string()))?;
            zhantu_web::figure_tables(year, &v)
        }
        (other, None) => {
            return Err(CliError(format!("导出内容“{other}”无效：应为 {} 或 figures", ImportKind::codes())));
        }
    };
    store.close().await;
    let queried = started.elapsed().as_secs_f64();
    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    let bytes = zhantu_office::write_xlsx(&tables).map_err(|e| CliError(e.to_string()))?;
    std::fs::write(&args.out, &bytes).map_err(|e| CliError(format!("无法写入 {}：{e}", args.out)))?;
    println!(
        "已导出 {rows} 行到 {}（{:.1} MB）；查询 {queried:.1} 秒，合计 {:.1} 秒，峰值内存 {}。",
        args.out,
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        peak_rss_text()
    );
    Ok(())
}
