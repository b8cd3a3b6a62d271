//! 项目类别 kept by hand: the list with each category's landing targets per year, a new
//! category, a change (code, name, whether 落地率 is counted, order), and a year's target set
//! or cleared. Values come parsed by the domain (`zhantu_domain::categories`); every write is
//! one transaction with its audit entry, refused on a stale version.

use crate::audit::AuditCtx;
use crate::row::{i64_, read_all, text};
use crate::writes::{KeptRecord, Tx, commit_audited, commit_kept, next_sort_order};
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::figures::Pct1;

/// A category with its targets.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRecord {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Is 落地率 counted (and shown) for it?
    pub tracks_landing: bool,
    pub sort_order: i64,
    pub version: i64,
    /// The landing target of each year that has one, oldest first.
    pub targets: Vec<CategoryTarget>,
    /// Projects on its list, any year.
    pub projects: i64,
}

/// 落地率目标 of one year.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct CategoryTarget {
    pub year: i32,
    /// Percent, one decimal.
    pub target_pct: Pct1,
}

#[derive(Debug, Clone)]
pub struct NewCategory {
    pub code: String,
    pub name: String,
    pub tracks_landing: bool,
    /// Last when absent.
    pub sort_order: Option<i64>,
}

/// A change to a category; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct CategoryChange {
    pub code: Option<String>,
    pub name: Option<String>,
    pub tracks_landing: Option<bool>,
    pub sort_order: Option<i64>,
}

const CATEGORY_SELECT: &str = "SELECT c.id, c.code, c.name, c.tracks_landing, c.sort_order, c.version, \
     (SELECT COUNT(DISTINCT pc.project_id) FROM project_categories pc WHERE pc.category_id = c.id) AS projects FROM categories c";

fn category(r: &AnyRow) -> Result<CategoryRecord, StoreError> {
    Ok(CategoryRecord {
        id: i64_(r, "id")?,
        code: text(r, "code")?,
        name: text(r, "name")?,
        tracks_landing: i64_(r, "tracks_landing")? != 0,
        sort_order: i64_(r, "sort_order")?,
        version: i64_(r, "version")?,
        targets: Vec::new(),
        projects: i64_(r, "projects")?,
    })
}

async fn targets_of(conn: &mut sqlx::AnyConnection, id: Option<i64>) -> Result<Vec<(i64, CategoryTarget)>, StoreError> {
    let mut q = crate::row::SqlBuf::new("SELECT category_id, year, target_tenths FROM category_targets");
    q.push_some(" WHERE category_id = ", id);
    q.push(" ORDER BY category_id, year");
    read_all(q.query(), &mut *conn, |r| {
        Ok((
            i64_(r, "category_id")?,
            CategoryTarget {
                year: i64_(r, "year")? as i32,
                target_pct: Pct1::from_tenths(i64_(r, "target_tenths")?),
            },
        ))
    })
    .await
}

impl KeptRecord for CategoryRecord {
    const TABLE: &'static str = "categories";
    const ENTITY: &'static str = "category";

    async fn read_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Self, StoreError> {
        let row = sqlx::query(&format!("{CATEGORY_SELECT} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut c = category(&row)?;
        c.targets = targets_of(conn, Some(id)).await?.into_iter().map(|(_, t)| t).collect();
        Ok(c)
    }

    fn snapshot(&self) -> serde_json::Value {
        let targets: Vec<_> = self
            .targets
            .iter()
            .map(|t| json!({ "year": t.year, "target_tenths": t.target_pct.tenths() }))
            .collect();
        json!({ "code": self.code, "name": self.name, "tracks_landing": self.tracks_landing, "sort_order": self.sort_order,
                "version": self.version, "targets": targets })
    }
}

/// Refuses a code or name another category has (imports find categories by name).
async fn check_unique(tx: &mut Tx, code: Option<&str>, name: Option<&str>, except: i64) -> Result<(), StoreError> {
    for (column, value, rule, what) in [
        ("code", code, "duplicate_category_code", "代码"),
        ("name", name, "duplicate_category_name", "名称"),
    ] {
        let Some(value) = value else { continue };
        let other: Option<i64> = sqlx::query_scalar(&format!("SELECT id FROM categories WHERE {column} = $1 AND id <> $2"))
            .bind(value)
            .bind(except)
            .fetch_optional(&mut **tx)
            .await?;
        if other.is_some() {
            return Err(StoreError::rule(rule, format!("已有项目类别的{what}是“{value}”")));
        }
    }
    Ok(())
}

impl Store {
    /// The categories in the district's order, each with its targets.
    pub async fn list_categories(&self) -> Result<Vec<CategoryRecord>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut list = read_all(
            sqlx::query(&format!("{CATEGORY_SELECT} ORDER BY c.sort_order, c.id")),
            &mut *conn,
            category,
        )
        .await?;
        for (id, t) in targets_of(&mut conn, None).await? {
            if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                c.targets.push(t);
            }
        }
        Ok(list)
    }

    pub async fn category(&self, id: i64) -> Result<CategoryRecord, StoreError> {
        CategoryRecord::read_in(&mut *self.pool.acquire().await?, id).await
    }

    pub async fn create_category(&self, n: &NewCategory, ctx: &AuditCtx) -> Result<CategoryRecord, StoreError> {
        let mut tx = self.begin_locked().await?;
        check_unique(&mut tx, Some(&n.code), Some(&n.name), 0).await?;
        let sort_order = match n.sort_order {
            Some(s) => s,
            None => next_sort_order(&mut tx, "categories").await?,
        };
        let id: i64 =
            sqlx::query_scalar("INSERT INTO categories (code, name, tracks_landing, sort_order) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(&n.code)
                .bind(&n.name)
                .bind(n.tracks_landing as i64)
                .bind(sort_order)
                .fetch_one(&mut *tx)
                .await?;
        commit_kept(tx, ctx, "category.create", id, None).await
    }

    pub async fn update_category(&self, id: i64, version: i64, c: &CategoryChange, ctx: &AuditCtx) -> Result<CategoryRecord, StoreError> {
        let (mut tx, before) = self.begin_change::<CategoryRecord>(id, version).await?;
        check_unique(&mut tx, c.code.as_deref(), c.name.as_deref(), id).await?;
        let mut q = crate::row::SqlBuf::new("UPDATE categories SET version = version + 1");
        q.push_some(", code = ", c.code.as_deref());
        q.push_some(", name = ", c.name.as_deref());
        q.push_some(", tracks_landing = ", c.tracks_landing);
        q.push_some(", sort_order = ", c.sort_order);
        q.push(" WHERE id = ").arg(id);
        q.query().execute(&mut *tx).await?;
        commit_kept(tx, ctx, "category.update", id, Some(&before)).await
    }

    /// Sets (`Some`) or clears (`None`) the category's landing target of `year`. `version`,
    /// when given, must be the category's (a target is part of it: its version moves on).
    pub async fn set_category_target(
        &self,
        id: i64,
        version: Option<i64>,
        year: i32,
        target: Option<Pct1>,
        ctx: &AuditCtx,
    ) -> Result<CategoryRecord, StoreError> {
        let mut tx = match version {
            Some(v) => self.begin_versioned("categories", "category", id, v).await?,
            None => self.begin_locked().await?,
        };
        let before = CategoryRecord::read_in(&mut tx, id).await?;
        sqlx::query("DELETE FROM category_targets WHERE category_id = $1 AND year = $2")
            .bind(id)
            .bind(year as i64)
            .execute(&mut *tx)
            .await?;
        if let Some(t) = target {
            sqlx::query("INSERT INTO category_targets (category_id, year, target_tenths) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(year as i64)
                .bind(t.tenths())
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE categories SET version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = CategoryRecord::read_in(&mut tx, id).await?;
        let action = if target.is_some() {
            "category.set_target"
        } else {
            "category.clear_target"
        };
        let year_target = |c: &CategoryRecord| c.targets.iter().find(|t| t.year == year).map(|t| t.target_pct.tenths());
        commit_audited(
            tx,
            ctx,
            (action, "category", Some(id)),
            Some(&json!({ "year": year, "target_tenths": year_target(&before), "version": before.version })),
            Some(&json!({ "year": year, "target_tenths": year_target(&after), "version": after.version })),
        )
        .await?;
        Ok(after)
    }
}
