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
    },
}

pub async fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        AuditCommand::Verify { database } => {
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            match store.verify_audit_chain().await? {
                Ok(n) => {
                    println!("审计日志完整：共 {n} 条记录，哈希链校验通过。");
                    Ok(())
                }
                Err(b) => Err(CliError(format!("审计日志被篡改：{}（第一处问题在第 {} 条）", b.reason, b.id))),
            }
        }
    }
}
