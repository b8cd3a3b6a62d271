use thiserror::Error;
use zhantu_domain::RuleError;

/// Errors of the store. Messages are Chinese: the CLI prints them as they are.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("数据库地址无效：{0}（应为 SQLite 文件路径、sqlite:// 或 postgres:// 地址）")]
    BadUrl(String),
    #[error("数据库文件不存在：{0}（先用 zhantu demo 或 zhantu generate 创建）")]
    Missing(String),
    #[error("{0} 不是 zhantu 的数据库文件（SQLite）：请检查路径")]
    NotADatabase(String),
    #[error("无法连接数据库：{0}")]
    Connect(String),
    #[error("数据库由更新版本的 zhantu 创建（数据库版本 {found}，本程序最高支持 {supported}），请升级 zhantu 后再打开")]
    NewerDatabase { found: i64, supported: i64 },
    #[error("数据库升级失败：{0}")]
    Migrate(String),
    #[error("文件读写失败：{0}")]
    Io(String),
    #[error("数据库中的数据无效：{0}")]
    Corrupt(String),
    #[error("记录不存在")]
    NotFound,
    #[error("记录已被{by}于{at}修改，请刷新后对比再提交")]
    Conflict { by: String, at: String },
    #[error("{0}")]
    Duplicate(String),
    /// A refused rule, with its machine code: one of the domain's, or one the store checks
    /// against what is recorded (a person who is not a leader, a closed round…).
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// An approval clock's excluded span that breaks a domain rule (overlap, dates, reason).
    #[error(transparent)]
    Span(#[from] zhantu_domain::clocks::SpanError),
    #[error("数据库操作失败：{0}")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    /// A refusal the store finds against what is recorded, with its code.
    pub(crate) fn rule(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Rule(RuleError::new(code, message))
    }
}
