use super::{CliError, DEFAULT_DATA_DIR, DEFAULT_LISTEN};
use crate::anchors::Anchors;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use zhantu_store::{OpenMode, Store};

#[derive(clap::Args)]
pub struct Args {
    /// 监听地址
    #[arg(long, default_value = DEFAULT_LISTEN)]
    pub listen: SocketAddr,
    /// 数据库：SQLite 文件路径或 postgres:// 地址
    #[arg(long, default_value_t = format!("{DEFAULT_DATA_DIR}/zhantu.db"))]
    pub database: String,
    #[command(flatten)]
    pub anchors: AnchorArgs,
}

/// Where the audit anchors go (see `anchors.rs`).
#[derive(clap::Args)]
pub struct AnchorArgs {
    /// 审计锚点文件（追加写入，应放在数据库之外；也可用环境变量 ZHANTU_AUDIT_ANCHORS）。
    /// 默认：SQLite 数据库旁的 audit-anchors.log；PostgreSQL 无默认值
    #[arg(long)]
    pub audit_anchors: Option<PathBuf>,
    /// 审计锚点密钥文件（不存在时自动生成；也可用环境变量 ZHANTU_AUDIT_KEY）。默认：锚点文件名加 .key
    #[arg(long)]
    pub audit_key: Option<PathBuf>,
}

impl AnchorArgs {
    /// The anchors file and its key for a database: the flags, else the environment, else
    /// beside a SQLite file (none for PostgreSQL).
    fn paths(&self, database: &str) -> Option<(PathBuf, PathBuf)> {
        let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let path = self.audit_anchors.clone().or_else(|| env("ZHANTU_AUDIT_ANCHORS")).or_else(|| {
            let db = database.strip_prefix("sqlite://").unwrap_or(database);
            (!db.starts_with("postgres")).then(|| {
                Path::new(db)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default()
                    .join("audit-anchors.log")
            })
        })?;
        let key = self
            .audit_key
            .clone()
            .or_else(|| env("ZHANTU_AUDIT_KEY"))
            .unwrap_or_else(|| path.with_extension("key"));
        Some((path, key))
    }

    /// The anchors to keep, their key made when missing.
    pub fn resolve(&self, database: &str) -> Result<Option<Anchors>, CliError> {
        self.paths(database).map(|(path, key)| Anchors::open(&path, &key)).transpose()
    }

    /// Only anchors that exist already with their key: for checking, which makes no key.
    pub fn resolve_existing(&self, database: &str) -> Result<Option<Anchors>, CliError> {
        match self.paths(database) {
            Some((path, key)) if path.exists() && key.exists() => Ok(Some(Anchors::open(&path, &key)?)),
            _ => Ok(None),
        }
    }
}

pub async fn run(args: Args) -> Result<(), CliError> {
    let store = Store::open(&args.database, OpenMode::ExistingOnly).await?;
    let anchors = args.anchors.resolve(&args.database)?;
    let banner = if store.needs_setup().await? {
        let code = zhantu_web::issue_setup_code(&store).await?;
        format!(
            "数据库尚未初始化：请在浏览器中打开上面地址的 /setup?code={code} 页面初始化本区（设置码 {code} 仅本次启动有效），\n\
             或先停止服务、运行 zhantu init（见 docs/DEPLOY.md）。"
        )
    } else {
        "登录：使用管理员分配的账户；新建账户用 zhantu user add。".to_string()
    };
    serve(store, args.listen, Some(banner), anchors).await
}

/// Binds, prints where the app is and how to use it, and serves until Ctrl-C.
pub async fn serve(store: Store, listen: SocketAddr, banner: Option<String>, anchors: Option<Anchors>) -> Result<(), CliError> {
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
    // The reports' fonts are read at the first PDF; say now if they are not there.
    match zhantu_report::find_fonts_dir() {
        Ok(dir) => println!("报告字体：{}", dir.display()),
        Err(why) => eprintln!("警告：{why}（PDF 报告在此之前无法生成）"),
    }
    match &anchors {
        Some(a) => {
            println!("审计锚点：{}", a.path().display());
            tokio::spawn(crate::anchors::keep(store.clone(), a.clone(), std::time::Duration::from_secs(30)));
        }
        None => println!("审计锚点：未设置（PostgreSQL 请用 --audit-anchors 或 ZHANTU_AUDIT_ANCHORS 指定数据库之外的文件）"),
    }
    tokio::spawn(daily_jobs(store.clone()));
    // Webhooks: what the outbox holds goes out within seconds, and again after each wait.
    tokio::spawn(zhantu_web::webhooks::keep_sending(store.clone(), std::time::Duration::from_secs(2)));
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
    if let Some(a) = &anchors {
        crate::anchors::anchor_now(&store, a, &mut None).await;
    }
    store.close().await;
    Ok(())
}

/// Runs the daily jobs: every hour, each instance tries to claim today's run (China time);
/// the database lets exactly one of them have it.
/// The escalation run on the data's date (the demo district lives on 2019-12-31): overdue
/// problems, then overdue 督办单, on the same ladder.
pub async fn escalate(store: &Store) -> Result<zhantu_store::problems::EscalationRun, zhantu_store::StoreError> {
    let today = store.as_of().await?;
    let ladder = store.escalation_ladder().await?;
    let run = store.escalate_problems(today, &ladder).await?;
    let orders = store.escalate_instructions(today, &ladder).await?;
    tracing::info!(
        overdue = orders.overdue,
        escalated = orders.escalated.len(),
        notifications = orders.notifications,
        "daily escalation of supervision orders done"
    );
    Ok(run)
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
        // 临期提醒: nodes and reports due within three working days, once per person.
        match store.claim_job("reminders", &today, &instance).await {
            Ok(true) => match store.send_reminders().await {
                Ok(r) => {
                    tracing::info!(
                        nodes = r.nodes,
                        reports = r.reports,
                        notifications = r.notifications,
                        "daily reminders sent"
                    );
                    if let Err(e) = zhantu_web::webhook::send_reminders(&store, &r).await {
                        tracing::warn!(error = %e, "the reminders did not reach the group robot");
                    }
                }
                Err(e) => tracing::error!(error = %e, "daily reminders failed"),
            },
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "could not claim the reminders job"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}
