use super::CliError;
use std::time::Instant;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 项目数
    #[arg(long)]
    pub projects: usize,
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
    let started = Instant::now();
    let store = Store::open(&args.database, OpenMode::CreateOrMigrate).await?;
    if !store.is_empty().await? {
        return Err(CliError(format!("数据库 {} 已有数据：请指定一个新的数据库", args.database)));
    }
    let ds = zhantu_demo::generate(args.projects, args.seed);
    let generated = started.elapsed();
    let stats = store.load_dataset(&ds).await?;
    store.close().await;
    println!(
        "已生成 {} 个项目、{} 个节点（共 {} 行）；生成 {:.1} 秒，写入 {:.1} 秒，合计 {:.1} 秒。",
        stats.projects,
        stats.nodes,
        stats.rows,
        generated.as_secs_f64(),
        (started.elapsed() - generated).as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
