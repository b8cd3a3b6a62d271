//! `zhantu generate --projects N [--districts K] --database DB`: a synthetic district, or a
//! province of K districts, for load tests and benchmarks.

use super::CliError;
use std::time::Instant;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 项目数
    #[arg(long)]
    pub projects: usize,
    /// 县（市、区）数：1 为单个区（椒江区）；大于 1 时生成一个省，项目分布在这些县区
    #[arg(long, default_value_t = 1)]
    pub districts: usize,
    /// 随机种子（同一种子生成相同数据）
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 目标数据库：SQLite 文件路径或 postgres:// 地址（须为空库）
    #[arg(long)]
    pub database: String,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    if args.projects == 0 {
        return Err(CliError("--projects 应大于0".into()));
    }
    let store = Store::open(&args.database, OpenMode::CreateOrMigrate).await?;
    if !store.is_empty().await? {
        return Err(CliError(format!("数据库 {} 已有数据：请指定一个新的数据库", args.database)));
    }
    fill(&store, args.projects, args.districts, args.seed).await?;
    store.close().await;
    Ok(())
}

/// Generates and loads the district (or province) into an empty store, printing what it
/// wrote and how long it took. Shared with `zhantu bench`.
pub async fn fill(store: &Store, projects: usize, districts: usize, seed: u64) -> Result<(), CliError> {
    let started = Instant::now();
    let ds = zhantu_demo::generate_province(projects, districts, seed)
        .ok_or_else(|| CliError(format!("--districts {districts} 无效：浙江省没有这么多县（市、区）")))?;
    let generated = started.elapsed();
    let stats = store.load_dataset(&ds).await?;
    drop(ds);
    println!(
        "已生成 {} 个项目、{} 个节点（共 {} 行，{} 个县区）；生成 {:.1} 秒，写入 {:.1} 秒，合计 {:.1} 秒。",
        stats.projects,
        stats.nodes,
        stats.rows,
        districts.max(1),
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
