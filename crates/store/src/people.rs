//! 人员 and 包干领导 kept by hand: the register (by unit, leaders only), a new person, and a
//! change (title, unit, leader or not, phone, active). Values come parsed by the domain
//! (`zhantu_domain::people`); every write is one transaction with its audit entry, refused on
//! a stale version.

use crate::audit::AuditCtx;
use crate::row::{SqlBuf, found, i64_, read_all, text};
use crate::writes::{KeptRecord, commit_kept, ensure_unit};
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;

/// A person of the register.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRecord {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub unit_id: i64,
    pub unit_name: String,
    /// 区领导 (a 包干领导 any unit may name).
    pub is_leader: bool,
    pub phone: String,
    pub active: bool,
    pub version: i64,
}

/// Which people to list.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// The people of this unit and the units below it.
    pub unit: Option<i64>,
    pub leaders_only: bool,
    /// Also those no longer active.
    pub include_inactive: bool,
}

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub title: String,
    pub unit_id: i64,
    pub is_leader: bool,
    pub phone: String,
}

/// A change to a person; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct PersonChange {
    pub name: Option<String>,
    pub title: Option<String>,
    pub unit_id: Option<i64>,
    pub is_leader: Option<bool>,
    pub phone: Option<String>,
    pub active: Option<bool>,
}

const PERSON_SELECT: &str = "SELECT pe.id, pe.name, pe.title, pe.unit_id, u.name AS unit_name, pe.is_leader, pe.phone, pe.active, pe.version \
     FROM people pe JOIN units u ON u.id = pe.unit_id";

fn person(r: &AnyRow) -> Result<PersonRecord, StoreError> {
    Ok(PersonRecord {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        title: text(r, "title")?,
        unit_id: i64_(r, "unit_id")?,
        unit_name: text(r, "unit_name")?,
        is_leader: i64_(r, "is_leader")? != 0,
        phone: text(r, "phone")?,
        active: i64_(r, "active")? != 0,
        version: i64_(r, "version")?,
    })
}

impl KeptRecord for PersonRecord {
    const TABLE: &'static str = "people";
    const ENTITY: &'static str = "person";

    async fn read_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Self, StoreError> {
        person(&found(sqlx::query(&format!("{PERSON_SELECT} WHERE pe.id = $1")).bind(id), &mut *conn).await?)
    }

    fn snapshot(&self) -> serde_json::Value {
        json!({ "name": self.name, "title": self.title, "unit_id": self.unit_id, "is_leader": self.is_leader, "phone": self.phone,
                "active": self.active, "version": self.version })
    }
}

impl Store {
    /// The register: leaders first, then by unit display order and id.
    pub async fn people(&self, f: &PeopleFilter) -> Result<Vec<PersonRecord>, StoreError> {
        let mut q = SqlBuf::new(PERSON_SELECT);
        q.push(" WHERE 1 = 1");
        if let Some(unit) = f.unit {
            q.push(" AND pe.unit_id IN ").in_list(self.unit_and_descendants(unit).await?);
        }
        if f.leaders_only {
            q.push(" AND pe.is_leader = 1");
        }
        if !f.include_inactive {
            q.push(" AND pe.active = 1");
        }
        q.push(" ORDER BY pe.is_leader DESC, u.sort_order, pe.id");
        read_all(q.query(), &self.pool, person).await
    }

    pub async fn person(&self, id: i64) -> Result<PersonRecord, StoreError> {
        PersonRecord::read_in(&mut *self.pool.acquire().await?, id).await
    }

    pub async fn create_person(&self, n: &NewPerson, ctx: &AuditCtx) -> Result<PersonRecord, StoreError> {
        let mut tx = self.begin_locked().await?;
        ensure_unit(&mut tx, n.unit_id).await?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO people (name, title, unit_id, is_leader, phone) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(&n.name)
                .bind(&n.title)
                .bind(n.unit_id)
                .bind(n.is_leader as i64)
                .bind(&n.phone)
                .fetch_one(&mut *tx)
                .await?;
        commit_kept(tx, ctx, "person.create", id, None).await
    }

    pub async fn update_person(&self, id: i64, version: i64, c: &PersonChange, ctx: &AuditCtx) -> Result<PersonRecord, StoreError> {
        let (mut tx, before) = self.begin_change::<PersonRecord>(id, version).await?;
        if let Some(u) = c.unit_id.filter(|u| *u != before.unit_id) {
            ensure_unit(&mut tx, u).await?;
        }
        let mut q = SqlBuf::new("UPDATE people SET version = version + 1");
        q.push_some(", name = ", c.name.as_deref());
        q.push_some(", title = ", c.title.as_deref());
        q.push_some(", unit_id = ", c.unit_id);
        q.push_some(", is_leader = ", c.is_leader);
        q.push_some(", phone = ", c.phone.as_deref());
        q.push_some(", active = ", c.active);
        q.push(" WHERE id = ").arg(id);
        q.query().execute(&mut *tx).await?;
        commit_kept(tx, ctx, "person.update", id, Some(&before)).await
    }
}
