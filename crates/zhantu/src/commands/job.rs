//! `zhantu job run lights`: the daily lights job on demand. The server runs it by itself once
//! a day (see `serve::daily_jobs`); this command is for an administrator who changed the rules
//! or the calendar and wants the lights now.

use super::CliError;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: JobCommand,
}

#[derive(clap::Subcommand)]
pub enum JobCommand {
    /// 立即执行一个任务：lights（重算红黄绿灯）
    Run {
        /// 任务名：lights
        job: String,
        #[arg(long)]
        database: String,
    },
}

pub async fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        JobCommand::Run { job, database } => {
            if job != "lights" {
                return Err(CliError(format!("没有任务“{job}”：可用的任务为 lights")));
            }
            let store = Store::open(&database, OpenMode::ExistingOnly).await?;
            let r = store.recompute_lights("manual").await?;
            println!(
                "亮灯已重算（数据日期 {}，规则第{}版）：{} 个项目、{} 个节点，红灯 {}、黄灯 {}、绿灯 {}，变化 {} 处；用时 {} 毫秒。",
                r.as_of, r.rule_version, r.projects, r.nodes, r.red, r.yellow, r.green, r.changed, r.elapsed_ms
            );
            match zhantu_web::webhook::send_digest(&store, &r).await {
                Ok(true) => println!("亮灯日报已推送到群机器人。"),
                Ok(false) => {}
                Err(e) => eprintln!("警告：{e}"),
            }
            store.close().await;
            Ok(())
        }
    }
}
