use sqlx::error::ErrorKind;
use thiserror::Error;
use zhantu_domain::RuleError;

/// Errors of the store. Messages are Chinese: the CLI prints them as they are.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("数据库地址无效：{0}（应为 SQLite 文件路径、sqlite:// 或 postgres:// 地址）")]
    BadUrl(String),
    #[error("数据库文件不存在：{0}（新的区用 zhantu init 建立，演示数据用 zhantu demo 或 zhantu generate 创建）")]
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
    /// A write that would repeat a unique key: refused by a rule here (the message says
    /// what is taken), or by the database's unique index (see `From<sqlx::Error>`).
    #[error("{0}")]
    Duplicate(String),
    /// A write naming a record that does not exist (or removing one still named elsewhere):
    /// refused by the database's foreign key.
    #[error("{0}")]
    MissingReference(String),
    /// A refused rule, with its machine code: one of the domain's, or one the store checks
    /// against what is recorded (a person who is not a leader, a closed round…).
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A form's fields refused, every one at once: the domain's parsing and what the store
    /// checks against what is recorded (a unit that does not exist, a code already taken…).
    #[error(transparent)]
    Invalid(#[from] zhantu_domain::FieldErrors),
    /// An approval clock's excluded span that breaks a domain rule (overlap, dates, reason).
    #[error(transparent)]
    Span(#[from] zhantu_domain::clocks::SpanError),
    #[error("数据库操作失败：{0}")]
    Database(sqlx::Error),
}

/// What the client reads when the database's unique index refuses a write.
pub(crate) const DUPLICATE_MESSAGE: &str = "与已有记录重复，未保存";
/// What the client reads when the database's foreign key refuses a write.
pub(crate) const MISSING_REFERENCE_MESSAGE: &str = "引用的记录不存在或仍被其他记录引用，未保存";

impl From<sqlx::Error> for StoreError {
    /// The one place a database error becomes a store error. Conflicts are told apart by the
    /// database's own error code (SQLite's extended result code, PostgreSQL's SQLSTATE, as
    /// sqlx's `DatabaseError::kind` reads them), never by the message text; the message goes
    /// to the log.
    fn from(e: sqlx::Error) -> StoreError {
        if let sqlx::Error::Database(d) = &e {
            match d.kind() {
                ErrorKind::UniqueViolation => {
                    tracing::info!(error = %d, constraint = ?d.constraint(), "a unique key refused a write");
                    return StoreError::Duplicate(DUPLICATE_MESSAGE.into());
                }
                ErrorKind::ForeignKeyViolation => {
                    tracing::info!(error = %d, constraint = ?d.constraint(), "a foreign key refused a write");
                    return StoreError::MissingReference(MISSING_REFERENCE_MESSAGE.into());
                }
                _ => {}
            }
            // PostgreSQL refuses text it cannot store (a NUL character: SQLSTATE 22021,
            // character_not_in_repertoire). The web layer refuses NUL before it gets here;
            // this is for a path that reaches the database another way (an upload's field).
            if d.code().as_deref() == Some("22021") {
                tracing::info!(error = %d, "the database refused a character in a text");
                return StoreError::rule("nul_in_text", "内容中含有空字符（U+0000），请删除后重试");
            }
        }
        StoreError::Database(e)
    }
}

impl StoreError {
    /// A refusal the store finds against what is recorded, with its code.
    pub(crate) fn rule(code: &'static str, message: impl Into<String>) -> StoreError {
        StoreError::Rule(RuleError::new(code, message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::NewLead;
    use crate::{AuditCtx, OpenMode, Store};
    use zhantu_domain::Money;

    fn path(name: &str) -> String {
        let p = std::env::temp_dir().join(format!("zhantu-store-{name}-{}.db", std::process::id()));
        p.to_string_lossy().into_owned()
    }

    fn remove(name: &str) {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", path(name)));
        }
    }

    /// A fresh SQLite store in a file of its own.
    async fn store(name: &str) -> Store {
        remove(name);
        Store::open(&path(name), OpenMode::CreateOrMigrate).await.unwrap()
    }

    async fn exec(s: &Store, sql: &str) -> Result<(), StoreError> {
        sqlx::query(sql).execute(s.pool()).await?;
        Ok(())
    }

    #[tokio::test]
    async fn the_database_conflicts_are_typed_from_its_error_code_on_sqlite() {
        let s = store("conflicts").await;
        exec(&s, "INSERT INTO units (id, name, kind) VALUES (1, '区发改局', 'department')")
            .await
            .unwrap();
        // The primary key and a unique column are both unique keys.
        let again = exec(&s, "INSERT INTO units (id, name, kind) VALUES (1, '区住建局', 'department')").await;
        assert!(
            matches!(&again, Err(StoreError::Duplicate(m)) if m == DUPLICATE_MESSAGE),
            "{again:?}"
        );
        exec(&s, "INSERT INTO categories (code, name) VALUES ('ppp', 'PPP项目')")
            .await
            .unwrap();
        let again = exec(&s, "INSERT INTO categories (code, name) VALUES ('ppp', '另一个')").await;
        assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
        // A person of a unit that does not exist.
        let orphan = exec(&s, "INSERT INTO people (name, unit_id) VALUES ('张三', 99)").await;
        assert!(
            matches!(&orphan, Err(StoreError::MissingReference(m)) if m == MISSING_REFERENCE_MESSAGE),
            "{orphan:?}"
        );
        // Anything else stays a database error.
        let bad = exec(&s, "INSERT INTO no_such_table VALUES (1)").await;
        assert!(matches!(bad, Err(StoreError::Database(_))), "{bad:?}");
        s.close().await;
        remove("conflicts");
    }

    #[tokio::test]
    async fn store_refusals_carry_their_codes() {
        let s = store("refusals").await;
        let ctx = AuditCtx::system("test");
        let lead = |name: &str, team| NewLead {
            name: name.into(),
            investor: String::new(),
            team_unit_id: team,
            leader_id: None,
            signed_amount: Money::ZERO,
            foreign_usd_cents: None,
            source_region: String::new(),
            first_contact_on: chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap(),
            note: String::new(),
        };
        // A rule about the value, the domain's.
        match s.create_lead(&lead("  ", 1), &ctx).await {
            Err(StoreError::Rule(e)) => assert_eq!((e.code, e.message.as_str()), ("lead_name_empty", "线索名称不能为空")),
            other => panic!("{other:?}"),
        }
        // A rule against what is recorded, the store's.
        match s.create_lead(&lead("新材料项目", 99), &ctx).await {
            Err(StoreError::Rule(e)) => assert_eq!((e.code, e.message.as_str()), ("unit_missing", "单位 99 不存在")),
            other => panic!("{other:?}"),
        }
        s.close().await;
        remove("refusals");
    }
}
