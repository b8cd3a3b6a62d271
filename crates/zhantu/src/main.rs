//! `zhantu`: the command line. Each subcommand lives in `commands/`.

mod anchors;
mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "zhantu", version, about = "战图 · 重大项目挂图作战系统", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 创建演示区（椒江区 2019 年）数据库（如不存在）并启动服务
    Demo(commands::demo::Args),
    /// 启动服务（使用已有数据库）
    Serve(commands::serve::Args),
    /// 生成一个指定规模的模拟区（或多个县区组成的省）数据库（用于压力测试）
    Generate(commands::generate::Args),
    /// 基准测试：生成全省数据（如数据库为空），启动服务，测量各页面、接口、亮灯任务和内存
    Bench(commands::bench::Args),
    /// 把数据库升级到本程序的版本
    Migrate(commands::migrate::Args),
    /// 初始化一个新区：区划、街道乡镇、默认项目类型、类别、审批时限、工作日历和第一个管理员
    Init(commands::init::Args),
    /// 用户管理：add、disable、reset-password
    User(commands::user::Args),
    /// 审计日志：verify
    Audit(commands::audit::Args),
    /// 把整个数据库复制到另一个数据库（如 SQLite → PostgreSQL），逐表校验
    Copy(commands::copy::CopyArgs),
    /// 备份到一个新的 SQLite 文件（服务运行时也可执行）
    Backup(commands::copy::BackupArgs),
    /// 后台任务：run lights、run escalate、run reminders
    Job(commands::job::Args),
    /// 从 Excel（.xlsx）或 CSV 导入项目、节点、月度投资、固投数据、企业、问题
    Import(commands::import::Args),
    /// 把清单和统计表导出为 Excel（.xlsx）
    Export(commands::export::Args),
    /// 生成周例会、月分析、两月督查、季度督评报告（HTML、PDF、Excel、Word）
    Report(commands::report::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("ZHANTU_LOG").unwrap_or_else(|_| "info,sqlx=error".into()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(a) => commands::demo::run(a).await,
            Command::Serve(a) => commands::serve::run(a).await,
            Command::Generate(a) => commands::generate::run(a).await,
            Command::Bench(a) => commands::bench::run(a).await,
            Command::Migrate(a) => commands::migrate::run(a).await,
            Command::Init(a) => commands::init::run(a).await,
            Command::User(a) => commands::user::run(a).await,
            Command::Audit(a) => commands::audit::run(a).await,
            Command::Copy(a) => commands::copy::run_copy(a).await,
            Command::Backup(a) => commands::copy::run_backup(a).await,
            Command::Job(a) => commands::job::run(a).await,
            Command::Import(a) => commands::import::run(a).await,
            Command::Export(a) => commands::export::run(a).await,
            Command::Report(a) => commands::report::run(a).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::FAILURE
        }
    }
}
