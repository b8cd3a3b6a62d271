//! `zhantu export projects|nodes|investment|fai|enterprises|problems|figures --database DB
//! --out FILE.xlsx`: the same workbooks the web's export links give, for the whole district.

use super::CliError;
use super::import::peak_rss_text;
use std::time::Instant;
use zhantu_store::{OpenMode, ProjectFilter, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 导出内容：projects、nodes、investment、fai、enterprises、problems、figures
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
    let tables = match args.what.as_str() {
        "projects" => vec![store.export_projects(&all).await?],
        "nodes" => vec![store.export_nodes(&all).await?],
        "investment" => vec![store.export_investment(&all).await?],
        "fai" => vec![store.export_fai().await?],
        "enterprises" => vec![store.export_enterprises().await?],
        "problems" => vec![store.export_problems().await?],
        "figures" => {
            let year = match args.year {
                Some(y) => y,
                None => chrono::Datelike::year(&store.as_of().await?),
            };
            let f = store.year_figures(year).await?;
            let v = serde_json::to_value(&f).map_err(|e| CliError(e.to_string()))?;
            zhantu_web::figure_tables(year, &v)
        }
        other => {
            return Err(CliError(format!(
                "导出内容“{other}”无效：应为 projects、nodes、investment、fai、enterprises、problems 或 figures"
            )));
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
