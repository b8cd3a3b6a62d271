use super::{CliError, DEFAULT_DATA_DIR, DEFAULT_LISTEN};
use std::net::SocketAddr;
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 监听地址
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// 数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long, default_value_t = format!("{DEFAULT_DATA_DIR}/zhantu.db"))]
    pub database: String,
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let store = Store::open(&args.database, OpenMode::ExistingOnly).await?;
    serve(
        store,
        args.listen,
        Some("登录：使用管理员分配的账户；新建账户用 zhantu user add。".into()),
    )
    .await
}

/// Binds, prints where the app is and how to use it, and serves until Ctrl-C.
pub async fn serve(store: Store, listen: SocketAddr, banner: Option<String>) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => CliError(format!("端口 {listen} 已被占用：请用 --listen 换一个地址，或先停止占用它的程序")),
        std::io::ErrorKind::PermissionDenied => CliError(format!("没有权限监听 {listen}：请换一个大于1024的端口")),
        _ => CliError(format!("无法监听 {listen}：{e}")),
    })?;
    let addr = listener.local_addr().map_err(|e| CliError(e.to_string()))?;
    println!("战图已启动：http://{addr}/");
    if let Some(b) = banner {
        println!("{b}");
    }
    println!("数据库：{}；按 Ctrl-C 停止。", store.engine().name());
    tokio::spawn(daily_jobs(store.clone()));
    // The figures' roll-ups are built now, not on the first visit to the cockpit.
    let warm = store.clone();
    tokio::spawn(async move {
        if let Err(e) = warm.warm_rollup().await {
            tracing::warn!("figures roll-ups not built at start: {e}");
        }
    });
    zhantu_web::serve(listener, store.clone(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| CliError(format!("服务异常退出：{e}")))?;
    store.close().await;
    Ok(())
}

/// Runs the daily jobs: every hour, each instance tries to claim today's run (China time);
/// the database lets exactly one of them have it.
/// The escalation run on the data's date (the demo district lives on 2019-12-31).
pub async fn escalate(store: &Store) -> Result<zhantu_store::problems::EscalationRun, zhantu_store::StoreError> {
    let today = store.as_of().await?;
    store.escalate_problems(today, &store.escalation_ladder().await?).await
}

async fn daily_jobs(store: Store) {
    let instance = format!(
        "{}:{}",
        std::env::var("HOSTNAME").unwrap_or_else(|_| "zhantu".into()),
        std::process::id()
    );
    loop {
        let today = zhantu_store::today_in_china().to_string();
        match store.claim_job("lights", &today, &instance).await {
            Ok(true) => match store.recompute_lights("daily").await {
                Ok(r) => tracing::info!(
                    projects = r.projects,
                    changed = r.changed,
                    ms = r.elapsed_ms as u64,
                    "daily lights job done"
                ),
                Err(e) => tracing::error!(error = %e, "daily lights job failed"),
            },
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim the daily job"),
        }
        // 问题清单: overdue problems climb the escalation ladder, once a day.
        match store.claim_job("escalate", &today, &instance).await {
            Ok(true) => match escalate(&store).await {
                Ok(r) => tracing::info!(
                    overdue = r.overdue,
                    escalated = r.escalated.len(),
                    notifications = r.notifications,
                    "daily escalation job done"
                ),
                Err(e) => tracing::error!(error = %e, "daily escalation job failed"),
            },
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim the escalation job"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
