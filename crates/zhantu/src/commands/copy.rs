//! `zhantu copy` and `zhantu backup`: a whole district from one database into another (for
//! example SQLite → PostgreSQL, or back), verified table by table by row counts and checksums.
//! A backup is a copy into a new SQLite file; it reads one consistent snapshot, so it works
//! while zhantu is serving. Restoring is a copy back.

use super::CliError;
use std::time::Instant;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct CopyArgs {
    /// 源数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long)]
    pub from: String,
    /// 目标数据库（须为空库；不存在的 SQLite 文件会被创建）
    #[arg(long)]
    pub to: String,
}

#[derive(clap::Args)]
pub struct BackupArgs {
    /// 要备份的数据库（可在服务运行时备份）
    #[arg(long)]
    pub database: String,
    /// 备份文件（新的 SQLite 文件，不能已存在）
    #[arg(long)]
    pub to: std::path::PathBuf,
}

async fn copy(from: &str, to: &str) -> Result<(), CliError> {
    let started = Instant::now();
    let source = Store::open(from, OpenMode::ExistingOnly).await?;
    let target = Store::open(to, OpenMode::CreateOrMigrate).await?;
    let sums = source.copy_to(&target).await?;
    let rows: u64 = sums.iter().map(|s| s.rows).sum();
    let tables = sums.iter().filter(|s| s.rows > 0).count();
    println!(
        "已复制 {tables} 张表、{rows} 行（{} → {}），行数与校验和逐表一致；用时 {:.1} 秒。",
        source.engine().name(),
        target.engine().name(),
        started.elapsed().as_secs_f64()
    );
    source.close().await;
    target.close().await;
    Ok(())
}

pub async fn run_copy(args: CopyArgs) -> Result<(), CliError> {
    copy(&args.from, &args.to).await
}

pub async fn run_backup(args: BackupArgs) -> Result<(), CliError> {
    if args.to.exists() {
        return Err(CliError(format!("备份文件 {} 已存在：请换一个文件名", args.to.display())));
    }
    copy(&args.database, &args.to.to_string_lossy()).await?;
    println!(
        "备份文件：{}（恢复：zhantu copy --from {} --to <新数据库>）",
        args.to.display(),
        args.to.display()
    );
    Ok(())
}
