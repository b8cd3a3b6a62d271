//! Reading typed values out of `Any` rows, values to bind in bulk statements, and the SQL
//! fragments several queries share.

use crate::choices::NamedRef;
use crate::error::StoreError;
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::str::FromStr;

/// The counts of red, yellow and green projects (`p`), as the columns `red`, `yellow`, `green`.
pub(crate) const LIGHT_SUMS: &str = "CAST(SUM(CASE WHEN p.light = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS red, \
     CAST(SUM(CASE WHEN p.light = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS yellow, \
     CAST(SUM(CASE WHEN p.light = 'green' THEN 1 ELSE 0 END) AS BIGINT) AS green";

pub(crate) fn i64_(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn opt_i64(row: &AnyRow, col: &str) -> Result<Option<i64>, StoreError> {
    Ok(row.try_get::<Option<i64>, _>(col)?)
}

pub(crate) fn text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn opt_text(row: &AnyRow, col: &str) -> Result<Option<String>, StoreError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

/// A record named by its id column and its name column (`unit_id`, `unit_name`).
pub(crate) fn named(row: &AnyRow, id: &str, name: &str) -> Result<NamedRef, StoreError> {
    Ok(NamedRef {
        id: i64_(row, id)?,
        name: text(row, name)?,
    })
}

/// The same for an optional reference: `None` where the id is NULL, an empty name where the
/// name is.
pub(crate) fn opt_named(row: &AnyRow, id: &str, name: &str) -> Result<Option<NamedRef>, StoreError> {
    Ok(match opt_i64(row, id)? {
        Some(id) => Some(NamedRef {
            id,
            name: opt_text(row, name)?.unwrap_or_default(),
        }),
        None => None,
    })
}

pub(crate) fn date(row: &AnyRow, col: &str) -> Result<NaiveDate, StoreError> {
    let s = text(row, col)?;
    NaiveDate::from_str(&s).map_err(|_| StoreError::Corrupt(format!("{col} = {s}")))
}

pub(crate) fn opt_date(row: &AnyRow, col: &str) -> Result<Option<NaiveDate>, StoreError> {
    match opt_text(row, col)? {
        Some(s) => NaiveDate::from_str(&s)
            .map(Some)
            .map_err(|_| StoreError::Corrupt(format!("{col} = {s}"))),
        None => Ok(None),
    }
}

/// The row `q` finds, run through `e` (the pool or a transaction), or `NotFound`.
pub(crate) async fn found<'e>(
    q: sqlx::query::Query<'e, sqlx::Any, sqlx::any::AnyArguments<'e>>,
    e: impl sqlx::Executor<'e, Database = sqlx::Any> + 'e,
) -> Result<AnyRow, StoreError> {
    q.fetch_optional(e).await?.ok_or(StoreError::NotFound)
}

/// Every row of `q`, run through `e` (the pool or a transaction), each read by `read`.
pub(crate) async fn read_all<'e, T>(
    q: sqlx::query::Query<'e, sqlx::Any, sqlx::any::AnyArguments<'e>>,
    e: impl sqlx::Executor<'e, Database = sqlx::Any> + 'e,
    read: impl FnMut(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    q.fetch_all(e).await?.iter().map(read).collect()
}

/// Every row `sql` returns for `key` (its one parameter, `$1`), each read by `read`.
pub(crate) async fn rows_for<T>(
    pool: &sqlx::AnyPool,
    sql: &str,
    key: impl Into<Val>,
    read: impl FnMut(&AnyRow) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let q = SqlBuf {
        sql: sql.to_string(),
        args: vec![key.into()],
    };
    read_all(q.query(), pool, read).await
}

/// A value for a bulk INSERT. NULLs carry their column's type: PostgreSQL refuses an
/// integer-typed NULL in a text column.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    I(i64),
    T(String),
    NullI,
    NullT,
}

/// Integers and flags bind as integers.
macro_rules! int_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Val {
                Val::I(v as i64)
            }
        }
    )*};
}
int_val!(i64, i32, u32, bool);

/// Text and dates (ISO) bind as text.
macro_rules! text_val {
    ($($t:ty),*) => {$(
        impl From<$t> for Val {
            fn from(v: $t) -> Val {
                Val::T(v.to_string())
            }
        }
    )*};
}
text_val!(&str, &String, NaiveDate);

impl From<String> for Val {
    fn from(v: String) -> Val {
        Val::T(v)
    }
}

/// An absent value binds as its column's NULL.
macro_rules! opt_val {
    ($t:ty, $null:ident) => {
        impl From<Option<$t>> for Val {
            fn from(v: Option<$t>) -> Val {
                v.map(Into::into).unwrap_or(Val::$null)
            }
        }
    };
}
opt_val!(i64, NullI);
opt_val!(i32, NullI);
opt_val!(&str, NullT);
opt_val!(String, NullT);
opt_val!(NaiveDate, NullT);

/// A statement assembled at run time with numbered placeholders (`$1`, `$2`, …), which both
/// engines accept.
#[derive(Debug, Default)]
pub(crate) struct SqlBuf {
    pub sql: String,
    pub args: Vec<Val>,
}

impl SqlBuf {
    pub fn new(sql: &str) -> SqlBuf {
        SqlBuf {
            sql: sql.to_string(),
            args: Vec::new(),
        }
    }
    /// Appends SQL text.
    pub fn push(&mut self, s: &str) -> &mut Self {
        self.sql.push_str(s);
        self
    }
    /// Appends a placeholder bound to `v`.
    pub fn arg(&mut self, v: impl Into<Val>) -> &mut Self {
        self.args.push(v.into());
        self.sql.push('$');
        self.sql.push_str(&self.args.len().to_string());
        self
    }
    /// Appends `sql` and a placeholder bound to the value, when there is one (an optional
    /// filter or change).
    pub fn push_some<T: Into<Val>>(&mut self, sql: &str, v: Option<T>) -> &mut Self {
        if let Some(v) = v {
            self.push(sql).arg(v);
        }
        self
    }
    /// Appends `(…)` with one placeholder per id; an empty list is `(NULL)`, which matches
    /// nothing on both engines.
    pub fn in_list(&mut self, ids: impl IntoIterator<Item = i64>) -> &mut Self {
        self.push("(");
        let mut any = false;
        for id in ids {
            if any {
                self.push(", ");
            }
            self.arg(id);
            any = true;
        }
        if !any {
            self.push("NULL");
        }
        self.push(")")
    }

    /// This filter (a ` WHERE …` clause and its arguments) counted as `SELECT COUNT(*) FROM
    /// {from}` and applied to `select`, ordered by `order`: the total and one page of rows
    /// (`limit` kept within 1–5000).
    pub async fn count_and_page(
        self,
        pool: &sqlx::AnyPool,
        from: &str,
        select: &str,
        order: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<sqlx::any::AnyRow>), crate::StoreError> {
        let mut count = SqlBuf::new(&format!("SELECT COUNT(*) AS n FROM {from}"));
        count.push(&self.sql);
        count.args = self.args.clone();
        let total = i64_(&count.query().fetch_one(pool).await?, "n")?;
        let mut q = SqlBuf::new(select);
        q.push(&self.sql);
        q.args = self.args;
        q.push(&format!(" ORDER BY {order} LIMIT "))
            .arg(limit.clamp(1, 5000))
            .push(" OFFSET ")
            .arg(offset.max(0));
        let rows = q.query().fetch_all(pool).await?;
        Ok((total, rows))
    }

    pub fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.sql);
        for v in &self.args {
            q = match v {
                Val::I(i) => q.bind(*i),
                Val::T(t) => q.bind(t.as_str()),
                Val::NullI => q.bind(None::<i64>),
                Val::NullT => q.bind(None::<String>),
            };
        }
        q
    }
}
