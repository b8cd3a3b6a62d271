//! 责任单位 kept by hand: the tree with its counts, a new unit, a change (rename, kind, codes,
//! a move or a new place in the display order), retiring a unit and merging one into
//! another. The rules are the domain's (`zhantu_domain::units`); every write here is one
//! transaction with its audit entry, refused on a stale version.

use crate::audit::{AuditCtx, append};
use crate::row::{found, i64_, opt_i64, opt_text, read_all, text};
use crate::writes::{KeptRecord, Tx, commit_audited, commit_kept, corrupt, ensure_unit, next_sort_order, now};
use crate::{Store, StoreError};
use serde::{Serialize, Serializer};
use serde_json::json;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use zhantu_domain::DivisionCode;
use zhantu_domain::model::UnitKind;
use zhantu_domain::units::{TreeEntry, UnitTree, UnitUse, check_unit_merge, check_unit_move, check_unit_retire, tree_order};

/// A unit as the administrators see it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRecord {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    #[serde(serialize_with = "kind_code")]
    pub kind: UnitKind,
    pub division_code: Option<String>,
    /// The unit's own code (机构代码), where it has one.
    pub code: Option<String>,
    /// Official display order among its siblings.
    pub sort_order: i64,
    pub active: bool,
    /// The unit it was merged into (then retired).
    pub merged_into: Option<i64>,
    pub version: i64,
    /// Depth in the tree (0 for the district).
    pub depth: u32,
    /// Active user accounts of the unit.
    pub users: i64,
    /// Projects the unit is responsible for.
    pub projects: i64,
}

fn kind_code<S: Serializer>(k: &UnitKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

/// A new unit (values parsed by the domain's parsers).
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: String,
    /// `None` only for the district itself, the top of the tree.
    pub parent_id: Option<i64>,
    pub kind: UnitKind,
    pub division_code: Option<DivisionCode>,
    pub code: Option<String>,
    /// Last among its siblings when absent.
    pub sort_order: Option<i64>,
}

/// A change to a unit; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct UnitChange {
    pub name: Option<String>,
    pub parent_id: Option<Option<i64>>,
    pub kind: Option<UnitKind>,
    pub division_code: Option<Option<DivisionCode>>,
    pub code: Option<Option<String>>,
    pub sort_order: Option<i64>,
}

/// What a merge moved: the ids of the records of each kind that now belong to the unit merged
/// into (also kept in the audit entry).
#[derive(Debug, Clone, Serialize)]
pub struct UnitMerge {
    pub unit: UnitRecord,
    pub into: UnitRecord,
    pub moved: BTreeMap<&'static str, Vec<i64>>,
}

const UNIT_SELECT: &str = "SELECT u.id, u.parent_id, u.name, u.kind, u.division_code, u.code, u.sort_order, u.active, u.merged_into, u.version, \
     (SELECT COUNT(*) FROM users us WHERE us.unit_id = u.id AND us.active = 1) AS users, \
     (SELECT COUNT(*) FROM projects p WHERE p.unit_id = u.id) AS projects FROM units u";

fn unit(r: &AnyRow) -> Result<UnitRecord, StoreError> {
    let kind = text(r, "kind")?;
    Ok(UnitRecord {
        id: i64_(r, "id")?,
        parent_id: opt_i64(r, "parent_id")?,
        name: text(r, "name")?,
        kind: UnitKind::from_code(&kind).ok_or_else(|| corrupt("units.kind", &kind))?,
        division_code: opt_text(r, "division_code")?,
        code: opt_text(r, "code")?,
        sort_order: i64_(r, "sort_order")?,
        active: i64_(r, "active")? != 0,
        merged_into: opt_i64(r, "merged_into")?,
        version: i64_(r, "version")?,
        depth: 0,
        users: i64_(r, "users")?,
        projects: i64_(r, "projects")?,
    })
}

impl KeptRecord for UnitRecord {
    const TABLE: &'static str = "units";
    const ENTITY: &'static str = "unit";

    async fn read_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Self, StoreError> {
        unit(&found(sqlx::query(&format!("{UNIT_SELECT} WHERE u.id = $1")).bind(id), &mut *conn).await?)
    }

    fn snapshot(&self) -> serde_json::Value {
        json!({ "name": self.name, "parent_id": self.parent_id, "kind": self.kind.code(), "division_code": self.division_code,
                "code": self.code, "sort_order": self.sort_order, "active": self.active, "merged_into": self.merged_into,
                "version": self.version })
    }
}

async fn tree_in(conn: &mut sqlx::AnyConnection) -> Result<UnitTree, StoreError> {
    let links = read_all(sqlx::query("SELECT id, parent_id FROM units"), &mut *conn, |r| {
        Ok((i64_(r, "id")?, opt_i64(r, "parent_id")?))
    })
    .await?;
    Ok(UnitTree::new(links))
}

/// Refuses a name (or code) another active unit already has: imports find units by name.
async fn check_unique(tx: &mut Tx, column: &str, value: &str, except: i64) -> Result<(), StoreError> {
    let other: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM units WHERE {column} = $1 AND active = 1 AND id <> $2 ORDER BY id LIMIT 1"
    ))
    .bind(value)
    .bind(except)
    .fetch_optional(&mut **tx)
    .await?;
    match (other, column) {
        (None, _) => Ok(()),
        (Some(_), "name") => Err(StoreError::rule(
            "duplicate_unit_name",
            format!("已有启用的单位叫“{value}”：单位名称须唯一（导入按名称查找单位）"),
        )),
        (Some(_), _) => Err(StoreError::rule(
            "duplicate_unit_code",
            format!("单位代码“{value}”已被其他单位使用"),
        )),
    }
}

/// A unit may hang at the top only when it is the district: the first top-level unit.
async fn check_parent(tx: &mut Tx, parent: Option<i64>, unit: i64) -> Result<(), StoreError> {
    match parent {
        Some(p) => ensure_unit(tx, p).await,
        None => {
            let top: Option<i64> =
                sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NULL AND active = 1 AND id <> $1 ORDER BY id LIMIT 1")
                    .bind(unit)
                    .fetch_optional(&mut **tx)
                    .await?;
            match top {
                Some(_) => Err(StoreError::rule(
                    "unit_parent_required",
                    "请选择上级单位：全区只有一个最上级单位（区本级）",
                )),
                None => Ok(()),
            }
        }
    }
}

/// Tables whose rows name a unit, moved by a merge: (what, table, column, has a version).
const MERGED: &[(&str, &str, &str, bool)] = &[
    ("units", "units", "parent_id", true),
    ("projects", "projects", "unit_id", true),
    ("nodes", "nodes", "responsible_unit_id", true),
    ("problems", "problems", "unit_id", true),
    ("people", "people", "unit_id", true),
    ("users", "users", "unit_id", true),
    ("visits", "enterprise_visits", "unit_id", false),
    ("leads", "attraction_leads", "team_unit_id", true),
];

impl Store {
    /// The units depth first in display order (active ones only, unless `include_retired`).
    pub async fn units(&self, include_retired: bool) -> Result<Vec<UnitRecord>, StoreError> {
        let all = read_all(sqlx::query(UNIT_SELECT), &self.pool, unit).await?;
        let entries: Vec<TreeEntry> = all
            .iter()
            .map(|u| TreeEntry {
                id: u.id,
                parent_id: u.parent_id,
                sort_order: u.sort_order,
            })
            .collect();
        let mut by_id: BTreeMap<i64, UnitRecord> = all.into_iter().map(|u| (u.id, u)).collect();
        Ok(tree_order(&entries)
            .into_iter()
            .filter_map(|(id, depth)| {
                let mut u = by_id.remove(&id)?;
                u.depth = depth;
                Some(u)
            })
            .filter(|u| include_retired || u.active)
            .collect())
    }

    pub async fn unit(&self, id: i64) -> Result<UnitRecord, StoreError> {
        UnitRecord::read_in(&mut *self.pool.acquire().await?, id).await
    }

    pub async fn create_unit(&self, n: &NewUnit, ctx: &AuditCtx) -> Result<UnitRecord, StoreError> {
        let mut tx = self.begin_locked().await?;
        check_parent(&mut tx, n.parent_id, 0).await?;
        check_unique(&mut tx, "name", &n.name, 0).await?;
        if let Some(code) = &n.code {
            check_unique(&mut tx, "code", code, 0).await?;
        }
        let sort_order = match n.sort_order {
            Some(s) => s,
            None => next_sort_order(&mut tx, "units").await?,
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO units (parent_id, name, kind, division_code, code, sort_order) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(n.parent_id)
        .bind(&n.name)
        .bind(n.kind.code())
        .bind(n.division_code.as_ref().map(|d| d.to_string()))
        .bind(n.code.clone())
        .bind(sort_order)
        .fetch_one(&mut *tx)
        .await?;
        commit_kept(tx, ctx, "unit.create", id, None).await
    }

    /// Renames a unit, changes its kind or codes, moves it under another unit or to another
    /// place in the display order.
    pub async fn update_unit(&self, id: i64, version: i64, c: &UnitChange, ctx: &AuditCtx) -> Result<UnitRecord, StoreError> {
        let (mut tx, before) = self.begin_change::<UnitRecord>(id, version).await?;
        let mut q = crate::row::SqlBuf::new("UPDATE units SET version = version + 1");
        if let Some(name) = &c.name {
            if before.active {
                check_unique(&mut tx, "name", name, id).await?;
            }
            q.push(", name = ").arg(name.as_str());
        }
        if let Some(parent) = c.parent_id {
            if parent != before.parent_id {
                check_unit_move(&tree_in(&mut tx).await?, id, parent)?;
                check_parent(&mut tx, parent, id).await?;
            }
            q.push(", parent_id = ").arg(parent);
        }
        q.push_some(", kind = ", c.kind.map(|k| k.code()));
        if let Some(d) = &c.division_code {
            q.push(", division_code = ").arg(d.as_ref().map(|d| d.to_string()));
        }
        if let Some(code) = &c.code {
            if let (Some(code), true) = (code, before.active) {
                check_unique(&mut tx, "code", code, id).await?;
            }
            q.push(", code = ").arg(code.clone());
        }
        q.push_some(", sort_order = ", c.sort_order);
        q.push(" WHERE id = ").arg(id);
        q.query().execute(&mut *tx).await?;
        commit_kept(tx, ctx, "unit.update", id, Some(&before)).await
    }

    /// 停用: the unit stays on the records that name it and leaves the choices; refused while
    /// active accounts or active sub-units depend on it (see `check_unit_retire`).
    pub async fn retire_unit(&self, id: i64, version: i64, ctx: &AuditCtx) -> Result<UnitRecord, StoreError> {
        let (mut tx, before) = self.begin_change::<UnitRecord>(id, version).await?;
        let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units WHERE parent_id = $1 AND active = 1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        check_unit_retire(
            before.active,
            UnitUse {
                users: before.users,
                children,
            },
        )?;
        sqlx::query("UPDATE units SET active = 0, version = version + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_kept(tx, ctx, "unit.retire", id, Some(&before)).await
    }

    /// 合并: every record of unit `id` (sub-units, projects, nodes, problems, people, users,
    /// visits, leads, campaign places) moves to `into`; `id` is retired, marked merged into
    /// `into`. The ids of what moved are kept in the audit entries of both units.
    pub async fn merge_unit(&self, id: i64, version: i64, into: i64, ctx: &AuditCtx) -> Result<UnitMerge, StoreError> {
        let (mut tx, before) = self.begin_change::<UnitRecord>(id, version).await?;
        let target = match UnitRecord::read_in(&mut tx, into).await {
            Err(StoreError::NotFound) => return Err(StoreError::rule("unit_missing", format!("单位 {into} 不存在"))),
            other => other?,
        };
        check_unit_merge(&tree_in(&mut tx).await?, (id, before.active), (into, target.active))?;
        let mut moved: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
        let stamp = now();
        for (what, table, column, versioned) in MERGED {
            let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE {column} = $1 ORDER BY id"))
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
            if ids.is_empty() {
                continue;
            }
            let bump = match (*versioned, *table) {
                (true, "projects" | "users") => ", version = version + 1, updated_at = $3",
                (true, _) => ", version = version + 1",
                (false, _) => "",
            };
            let sql = format!("UPDATE {table} SET {column} = $1{bump} WHERE {column} = $2");
            let mut q = sqlx::query(&sql).bind(into).bind(id);
            if bump.contains("$3") {
                q = q.bind(&stamp);
            }
            q.execute(&mut *tx).await?;
            moved.insert(what, ids);
        }
        // A campaign that ranked both units keeps the one left.
        let campaigns: Vec<i64> = sqlx::query_scalar("SELECT campaign_id FROM campaign_units WHERE unit_id = $1 ORDER BY campaign_id")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        for c in &campaigns {
            crate::writes::link(&mut tx, "campaign_units", ("campaign_id", *c), ("unit_id", into)).await?;
        }
        sqlx::query("DELETE FROM campaign_units WHERE unit_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if !campaigns.is_empty() {
            moved.insert("campaigns", campaigns);
        }
        sqlx::query("UPDATE units SET active = 0, merged_into = $1, version = version + 1 WHERE id = $2")
            .bind(into)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let after = UnitRecord::read_in(&mut tx, id).await?;
        let into_after = UnitRecord::read_in(&mut tx, into).await?;
        let mut after_json = after.snapshot();
        after_json["into_id"] = json!(into);
        after_json["moved"] = json!(moved);
        append(
            &mut tx,
            ctx,
            "unit.merge",
            "unit",
            Some(id),
            Some(&before.snapshot()),
            Some(&after_json),
        )
        .await?;
        let counts: BTreeMap<&str, usize> = moved.iter().map(|(k, v)| (*k, v.len())).collect();
        commit_audited(
            tx,
            ctx,
            ("unit.absorb", "unit", Some(into)),
            None,
            Some(&json!({ "from_id": id, "from_name": before.name, "moved": counts })),
        )
        .await?;
        Ok(UnitMerge {
            unit: after,
            into: into_after,
            moved,
        })
    }
}
