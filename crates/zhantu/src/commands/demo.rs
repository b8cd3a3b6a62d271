use super::{CliError, DEFAULT_DATA_DIR, DEFAULT_LISTEN};
use std::net::SocketAddr;
use std::path::PathBuf;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 监听地址
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// 数据目录（演示数据库为其中的 zhantu.db）
    #[arg(long, default_value = DEFAULT_DATA_DIR)]
    pub data: PathBuf,
    /// 演示数据的随机种子（同一种子生成相同数据）
    #[arg(long, default_value_t = 2019)]
    pub seed: u64,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    std::fs::create_dir_all(&args.data).map_err(|e| CliError(format!("无法创建数据目录 {}：{e}", args.data.display())))?;
    let path = args.data.join("zhantu.db");
    let store = Store::open(&path.to_string_lossy(), OpenMode::CreateOrMigrate).await?;
    if store.is_empty().await? {
        println!("正在创建演示数据（椒江区 2019 年）：{}", path.display());
        let ds = zhantu_demo::scenario_2019(args.seed);
        let stats = store.load_dataset(&ds).await?;
        // The year's lights per week and month, so the projects' light history shows.
        store.backfill_light_history().await?;
        println!("已写入 {} 个项目、{} 个节点。", stats.projects, stats.nodes);
        zhantu_web::users::create_demo_accounts(&store)
            .await
            .map_err(|e| CliError(e.message))?;
    }
    let district = store.setting("district_name").await?.unwrap_or_default();
    let as_of = store.as_of().await?;
    let accounts: Vec<&str> = zhantu_web::users::DEMO_ACCOUNTS.iter().map(|a| a.0).collect();
    let banner = format!(
        "演示数据：{district}，数据截至 {as_of}；数据库文件 {}\n登录：演示账户 {}（每个角色一个），密码均为 {}",
        path.display(),
        accounts.join("、"),
        zhantu_web::users::DEMO_PASSWORD
    );
    let anchors = crate::anchors::Anchors::open(&args.data.join("audit-anchors.log"), &args.data.join("audit-anchors.key"))?;
    super::serve::serve(store, args.listen, Some(banner), Some(anchors)).await
}
