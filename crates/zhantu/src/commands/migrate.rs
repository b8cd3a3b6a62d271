use super::CliError;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long)]
    pub database: String,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let store = Store::open(&args.database, OpenMode::CreateOrMigrate).await?;
    println!("数据库已是最新版本（{}）。", store.engine().name());
    store.close().await;
    Ok(())
}
