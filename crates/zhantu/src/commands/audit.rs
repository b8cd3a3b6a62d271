//! `zhantu audit verify`: walks the hash chain of the audit log.

use super::CliError;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(clap::Subcommand)]
pub enum AuditCommand {
    /// 校验审计日志的哈希链，报告第一条被篡改或删除的记录
    Verify {
        #[arg(long)]
        database: String,
        /// 同时核对审计锚点（默认与 serve 相同：SQLite 数据库旁的 audit-anchors.log）
        #[command(flatten)]
        anchors: super::serve::AnchorArgs,
    },
    /// 立即把审计日志的链头（条数与哈希）追加到审计锚点文件（serve 运行时每30秒自动追加；
    /// 也可由另一台机器定时执行，把锚点放在数据库服务器之外）
    Anchor {
        #[arg(long)]
        database: String,
        #[command(flatten)]
        anchors: super::serve::AnchorArgs,
    },
}

pub async fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        AuditCommand::Anchor { database, anchors } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            let a = anchors
                .resolve(&database)?
                .ok_or_else(|| CliError("PostgreSQL 数据库请用 --audit-anchors 指定锚点文件".into()))?;
            let (n, hash) = store.audit_head().await?;
            a.append(n, &hash)
                .map_err(|e| CliError(format!("无法写入审计锚点文件 {}：{e}", a.path().display())))?;
            println!("已追加审计锚点：第 {n} 条，哈希 {hash}（{}）", a.path().display());
            Ok(())
        }
        AuditCommand::Verify { database, anchors } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            let n = match store.verify_audit_chain().await? {
                Ok(n) => n,
                Err(b) => return Err(CliError(format!("审计日志被篡改：{}（第一处问题在第 {} 条）", b.reason, b.id))),
            };
            // The anchors are checked only where they exist: a key is never made here.
            let wanted = anchors.audit_anchors.is_some() || std::env::var_os("ZHANTU_AUDIT_ANCHORS").is_some();
            let found = match anchors.resolve_existing(&database)? {
                Some(a) => Some((crate::anchors::verify(&store, &a).await?, a.path().display().to_string())),
                None if wanted => return Err(CliError("找不到审计锚点文件或其密钥".into())),
                None => None,
            };
            match found {
                Some((k, path)) => println!("审计日志完整：共 {n} 条记录，哈希链校验通过，与 {k} 个审计锚点（{path}）相符。"),
                None => println!("审计日志完整：共 {n} 条记录，哈希链校验通过（未找到审计锚点，无法发现整条链被重算）。"),
            }
            Ok(())
        }
    }
}
