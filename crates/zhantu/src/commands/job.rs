//! `zhantu job run lights|escalate|reminders`: the daily jobs on demand. The server runs them by itself once
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
    /// 立即执行一个任务：lights（重算红黄绿灯）、escalate（逾期问题和督办单升级督办）或 reminders（临期提醒）
    Run {
        /// 任务名：lights、escalate 或 reminders
        job: String,
        #[arg(long)]
        database: String,
        /// escalate：按此日期计算逾期（默认为数据日期）
        #[arg(long)]
        today: Option<String>,
    },
}

pub async fn run(args: Args) -> Result<(), CliError> {
    match args.command {
        JobCommand::Run { job, database, today } => {
            if job == "escalate" {
                let store = Store::open(&database, OpenMode::ExistingOnly).await?;
                let today = match today {
                    Some(s) => zhantu_domain::parse_date(&s).map_err(|e| CliError(e.to_string()))?,
                    None => store.as_of().await?,
                };
                let ladder = store.escalation_ladder().await?;
                let r = store.escalate_problems(today, &ladder).await?;
                println!(
                    "问题升级督办已执行（日期 {}）：逾期问题 {} 个，升级 {} 个，发出通知 {} 条。",
                    r.today,
                    r.overdue,
                    r.escalated.len(),
                    r.notifications
                );
                let o = store.escalate_instructions(today, &ladder).await?;
                println!(
                    "督办单升级已执行（日期 {}）：逾期督办单 {} 份，升级 {} 份，发出通知 {} 条。",
                    o.today,
                    o.overdue,
                    o.escalated.len(),
                    o.notifications
                );
                store.close().await;
                return Ok(());
            }
            if job == "reminders" {
                let store = Store::open(&database, OpenMode::ExistingOnly).await?;
                let r = store.send_reminders().await?;
                println!(
                    "临期提醒已执行（数据日期 {}）：新提醒节点 {} 个、进度填报 {} 项，发出通知 {} 条。",
                    r.as_of.map(|d| d.to_string()).unwrap_or_default(),
                    r.nodes,
                    r.reports,
                    r.notifications
                );
                match zhantu_web::webhook::send_reminders(&store, &r).await {
                    Ok(true) => println!("临期提醒已推送到群机器人。"),
                    Ok(false) => {}
                    Err(e) => eprintln!("警告：{e}"),
                }
                store.close().await;
                return Ok(());
            }
            if job != "lights" {
                return Err(CliError(format!("没有任务“{job}”：可用的任务为 lights、escalate、reminders")));
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
