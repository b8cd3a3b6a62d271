//! Named records and the choices forms and filters offer: the units as a tree, the district's
//! leaders, the categories, the project types. A leaf module: it imports no mechanism.

use crate::row::{i64_, named, opt_i64, read_all, text};
use crate::{Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

/// A record named by id, for lists of choices.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

/// A unit in the filter's list, with its depth in the tree (for indentation).
#[derive(Debug, Clone)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub depth: u32,
}

/// What the registry's filters offer.
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    pub units: Vec<UnitChoice>,
    pub leaders: Vec<NamedRef>,
    /// (code, name) in the district's order.
    pub categories: Vec<(String, String)>,
}

impl Store {
    /// Units (as a tree, depth first), the district's leaders and the categories.
    pub async fn filter_choices(&self) -> Result<FilterChoices, StoreError> {
        let mut children: BTreeMap<Option<i64>, Vec<(i64, i64, String)>> = BTreeMap::new();
        for r in sqlx::query("SELECT id, parent_id, name, sort_order FROM units WHERE active = 1 ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
        {
            children
                .entry(opt_i64(&r, "parent_id")?)
                .or_default()
                .push((i64_(&r, "sort_order")?, i64_(&r, "id")?, text(&r, "name")?));
        }
        let mut units = Vec::new();
        let mut stack: Vec<(i64, String, u32)> = children
            .get(&None)
            .map(|v| v.iter().rev().map(|(_, id, n)| (*id, n.clone(), 0)).collect())
            .unwrap_or_default();
        while let Some((id, name, depth)) = stack.pop() {
            if let Some(c) = children.get(&Some(id)) {
                stack.extend(c.iter().rev().map(|(_, cid, n)| (*cid, n.clone(), depth + 1)));
            }
            units.push(UnitChoice { id, name, depth });
        }
        let leaders = read_all(
            sqlx::query("SELECT id, name FROM people WHERE is_leader = 1 AND active = 1 ORDER BY id"),
            &self.pool,
            |r| named(r, "id", "name"),
        )
        .await?;
        let categories = read_all(
            sqlx::query("SELECT code, name FROM categories ORDER BY sort_order, id"),
            &self.pool,
            |r| Ok((text(r, "code")?, text(r, "name")?)),
        )
        .await?;
        Ok(FilterChoices {
            units,
            leaders,
            categories,
        })
    }

    /// The categories (项目类别) by id and name, in the district's order: what a project's
    /// year may put it on.
    pub async fn category_choices(&self) -> Result<Vec<NamedRef>, StoreError> {
        read_all(
            sqlx::query("SELECT id, name FROM categories ORDER BY sort_order, id"),
            &self.pool,
            |r| named(r, "id", "name"),
        )
        .await
    }

    /// The project types: (code, Chinese name, English name).
    pub async fn project_types(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        read_all(
            sqlx::query("SELECT code, name, name_en FROM project_types ORDER BY code"),
            &self.pool,
            |r| Ok((text(r, "code")?, text(r, "name")?, text(r, "name_en")?)),
        )
        .await
    }
}
