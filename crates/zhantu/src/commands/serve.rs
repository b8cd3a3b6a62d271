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
    zhantu_web::serve(listener, store.clone(), async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| CliError(format!("服务异常退出：{e}")))?;
    store.close().await;
    Ok(())
}
