//! 三服务 (serving enterprises): the enterprise register with its tags, and visits, whose
//! findings become problems (`problems.rs`) in the same transaction; visits by unit. Every
//! write is one transaction with its audit entry.

use crate::audit::{AuditCtx, append};
use crate::choices::NamedRef;
use crate::problems::{NewProblem, insert_problem};
use crate::row::{SqlBuf, date, found, i64_, named, opt_i64, opt_text, read_all, text};
use crate::writes::ensure_unit;
use crate::{DocKind, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use zhantu_domain::CreditCode;
use zhantu_domain::enterprises::{check_enterprise_name, check_visit_findings, clean_tags};
use zhantu_domain::figures::Period;

#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    pub tag: Option<String>,
    /// An industry code or its prefix (GB/T 4754).
    pub industry: Option<String>,
    /// Part of the name or the credit code.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseItem {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub industry_code: Option<String>,
    pub division_code: Option<String>,
    pub tags: Vec<String>,
    pub visits: i64,
    pub problems: i64,
    pub open_problems: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnterprisePage {
    pub total: i64,
    pub items: Vec<EnterpriseItem>,
}

#[derive(Debug, Clone)]
pub struct NewEnterprise {
    pub credit_code: CreditCode,
    pub name: String,
    pub industry_code: Option<String>,
    pub division_code: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EnterpriseChange {
    pub name: Option<String>,
    pub industry_code: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
}

const ENTERPRISE_COLUMNS: &str = "SELECT e.id, e.credit_code, e.name, e.industry_code, e.division_code, e.version, \
     (SELECT COUNT(*) FROM enterprise_visits v WHERE v.enterprise_id = e.id) AS visits, \
     (SELECT COUNT(*) FROM problems pr WHERE pr.enterprise_id = e.id) AS problems, \
     (SELECT COUNT(*) FROM problems pr WHERE pr.enterprise_id = e.id AND pr.status <> 'closed') AS open_problems FROM enterprises e";

fn enterprise(r: &AnyRow) -> Result<EnterpriseItem, StoreError> {
    Ok(EnterpriseItem {
        id: i64_(r, "id")?,
        credit_code: text(r, "credit_code")?,
        name: text(r, "name")?,
        industry_code: opt_text(r, "industry_code")?,
        division_code: opt_text(r, "division_code")?,
        tags: Vec::new(),
        visits: i64_(r, "visits")?,
        problems: i64_(r, "problems")?,
        open_problems: i64_(r, "open_problems")?,
        version: i64_(r, "version")?,
    })
}

// ---------------------------------------------------------------- visits

#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Only visits by these units (a unit-scoped reader); `None`: all.
    pub within_units: Option<Vec<i64>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitItem {
    pub id: i64,
    pub enterprise: NamedRef,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub unit: NamedRef,
    pub findings: String,
    pub problems: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitPage {
    pub total: i64,
    pub items: Vec<VisitItem>,
}

#[derive(Debug, Clone)]
pub struct NewVisit {
    pub enterprise_id: i64,
    pub visited_on: NaiveDate,
    pub visitor_id: Option<i64>,
    pub visitor_name: String,
    pub unit_id: i64,
    pub findings: String,
    /// Findings turned into problems in the same transaction.
    pub problems: Vec<NewProblem>,
}

const VISIT_COLUMNS: &str = "SELECT v.id, v.enterprise_id, e.name AS enterprise_name, v.visited_on, COALESCE(pe.name, v.visitor_name) AS visitor, \
     v.unit_id, u.name AS unit_name, v.findings, (SELECT COUNT(*) FROM problems pr WHERE pr.visit_id = v.id) AS problems \
     FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN units u ON u.id = v.unit_id LEFT JOIN people pe ON pe.id = v.visitor_id";

fn visit(r: &AnyRow) -> Result<VisitItem, StoreError> {
    Ok(VisitItem {
        id: i64_(r, "id")?,
        enterprise: named(r, "enterprise_id", "enterprise_name")?,
        visited_on: date(r, "visited_on")?,
        visitor: opt_text(r, "visitor")?.unwrap_or_default(),
        unit: named(r, "unit_id", "unit_name")?,
        findings: text(r, "findings")?,
        problems: i64_(r, "problems")?,
    })
}

/// Visits of one unit (三服务 by unit).
#[derive(Debug, Clone, Serialize)]
pub struct VisitUnitRow {
    pub unit: NamedRef,
    pub visits: i64,
    pub problems: i64,
}

impl Store {
    pub async fn list_enterprises(&self, f: &EnterpriseFilter) -> Result<EnterprisePage, StoreError> {
        let mut w = SqlBuf::new("");
        w.push(" WHERE 1 = 1");
        if let Some(tag) = f.tag.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND e.id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag = ")
                .arg(tag)
                .push(")");
        }
        if let Some(ind) = f.industry.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND e.industry_code LIKE ").arg(format!("{ind}%"));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let like = format!("%{q}%");
            w.push(" AND (e.name LIKE ")
                .arg(like.clone())
                .push(" OR e.credit_code LIKE ")
                .arg(like)
                .push(")");
        }
        let (total, rows) = w
            .count_and_page(&self.pool, "enterprises e", ENTERPRISE_COLUMNS, "e.id", f.limit, f.offset)
            .await?;
        let mut items = rows.iter().map(enterprise).collect::<Result<Vec<_>, _>>()?;
        self.attach_tags(&mut items).await?;
        Ok(EnterprisePage { total, items })
    }

    async fn attach_tags(&self, items: &mut [EnterpriseItem]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut q = SqlBuf::new("SELECT enterprise_id, tag FROM enterprise_tags WHERE enterprise_id IN ");
        q.in_list(items.iter().map(|e| e.id)).push(" ORDER BY enterprise_id, tag");
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        for r in q.query().fetch_all(&self.pool).await? {
            tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
        }
        for e in items.iter_mut() {
            e.tags = tags.remove(&e.id).unwrap_or_default();
        }
        Ok(())
    }

    /// The cultivation tags in use, with how many enterprises carry each.
    pub async fn enterprise_tags(&self) -> Result<Vec<(String, i64)>, StoreError> {
        read_all(
            sqlx::query("SELECT tag, COUNT(*) AS n FROM enterprise_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag"),
            &self.pool,
            |r| Ok((text(r, "tag")?, i64_(r, "n")?)),
        )
        .await
    }

    pub async fn enterprise(&self, id: i64) -> Result<EnterpriseItem, StoreError> {
        let r = found(sqlx::query(&format!("{ENTERPRISE_COLUMNS} WHERE e.id = $1")).bind(id), &self.pool).await?;
        let mut items = vec![enterprise(&r)?];
        self.attach_tags(&mut items).await?;
        Ok(items.remove(0))
    }

    pub async fn enterprise_by_credit_code(&self, code: &CreditCode) -> Result<Option<EnterpriseItem>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => Ok(Some(self.enterprise(id).await?)),
            None => Ok(None),
        }
    }

    pub async fn create_enterprise(&self, e: &NewEnterprise, ctx: &AuditCtx) -> Result<EnterpriseItem, StoreError> {
        let name = e.name.trim();
        check_enterprise_name(name)?;
        let tags = clean_tags(&e.tags)?;
        let mut tx = self.begin_locked().await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT name FROM enterprises WHERE credit_code = $1")
            .bind(e.credit_code.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(other) = taken {
            return Err(StoreError::Duplicate(format!(
                "统一社会信用代码 {} 已登记为“{other}”",
                e.credit_code.as_str()
            )));
        }
        let division = e.division_code.clone().or_else(|| Some(e.credit_code.division().to_string()));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprises (credit_code, name, industry_code, division_code, version) VALUES ($1, $2, $3, $4, 1) RETURNING id",
        )
        .bind(e.credit_code.as_str())
        .bind(name)
        .bind(e.industry_code.clone())
        .bind(division)
        .fetch_one(&mut *tx)
        .await?;
        for t in &tags {
            sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        self.reindex_doc(&mut tx, DocKind::Enterprise, id).await?;
        append(
            &mut tx,
            ctx,
            "enterprise.create",
            "enterprise",
            Some(id),
            None,
            Some(&json!({ "credit_code": e.credit_code.as_str(), "name": name, "industry_code": e.industry_code, "tags": tags })),
        )
        .await?;
        tx.commit().await?;
        self.enterprise(id).await
    }

    pub async fn update_enterprise(
        &self,
        id: i64,
        version: i64,
        c: &EnterpriseChange,
        ctx: &AuditCtx,
    ) -> Result<EnterpriseItem, StoreError> {
        let mut tx = self.begin_locked().await?;
        let r = found(
            sqlx::query("SELECT name, industry_code, version FROM enterprises WHERE id = $1").bind(id),
            &mut *tx,
        )
        .await?;
        if i64_(&r, "version")? != version {
            return Err(self.stale(tx, "enterprise", id).await?);
        }
        let old_tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM enterprise_tags WHERE enterprise_id = $1 ORDER BY tag")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let before =
            json!({ "name": text(&r, "name")?, "industry_code": opt_text(&r, "industry_code")?, "tags": old_tags, "version": version });
        let name = match &c.name {
            Some(n) => {
                check_enterprise_name(n)?;
                n.trim().to_string()
            }
            None => text(&r, "name")?,
        };
        let industry = match &c.industry_code {
            Some(v) => v.clone(),
            None => opt_text(&r, "industry_code")?,
        };
        sqlx::query("UPDATE enterprises SET name = $1, industry_code = $2, version = version + 1 WHERE id = $3")
            .bind(&name)
            .bind(industry.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let tags = match &c.tags {
            Some(t) => {
                let t = clean_tags(t)?;
                sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for tag in &t {
                    sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                        .bind(id)
                        .bind(tag)
                        .execute(&mut *tx)
                        .await?;
                }
                t
            }
            None => old_tags,
        };
        self.reindex_doc(&mut tx, DocKind::Enterprise, id).await?;
        append(
            &mut tx,
            ctx,
            "enterprise.update",
            "enterprise",
            Some(id),
            Some(&before),
            Some(&json!({ "name": name, "industry_code": industry, "tags": tags, "version": version + 1 })),
        )
        .await?;
        tx.commit().await?;
        self.enterprise(id).await
    }

    // ------------------------------------------------------------ visits

    pub async fn list_visits(&self, f: &VisitFilter) -> Result<VisitPage, StoreError> {
        let mut w = SqlBuf::new(" WHERE 1 = 1");
        w.push_some(" AND v.enterprise_id = ", f.enterprise_id);
        w.push_some(" AND v.unit_id = ", f.unit_id);
        if let Some(units) = &f.within_units {
            w.push(" AND v.unit_id IN ").in_list(units.iter().copied());
        }
        w.push_some(" AND v.visited_on >= ", f.from);
        w.push_some(" AND v.visited_on <= ", f.to);
        let (total, rows) = w
            .count_and_page(
                &self.pool,
                "enterprise_visits v",
                VISIT_COLUMNS,
                "v.visited_on DESC, v.id DESC",
                f.limit,
                f.offset,
            )
            .await?;
        let items = rows.iter().map(visit).collect::<Result<Vec<_>, _>>()?;
        Ok(VisitPage { total, items })
    }

    pub async fn visit(&self, id: i64) -> Result<VisitItem, StoreError> {
        let r = found(sqlx::query(&format!("{VISIT_COLUMNS} WHERE v.id = $1")).bind(id), &self.pool).await?;
        visit(&r)
    }

    /// Records a visit and turns its findings into problems, all in one transaction.
    pub async fn record_visit(&self, v: &NewVisit, ctx: &AuditCtx) -> Result<(VisitItem, Vec<i64>), StoreError> {
        let findings = v.findings.trim();
        check_visit_findings(findings)?;
        let cal = self.calendar().await?;
        let mut tx = self.begin_locked().await?;
        let ent: Option<i64> = sqlx::query_scalar("SELECT id FROM enterprises WHERE id = $1")
            .bind(v.enterprise_id)
            .fetch_optional(&mut *tx)
            .await?;
        if ent.is_none() {
            return Err(StoreError::rule("enterprise_missing", format!("企业 {} 不存在", v.enterprise_id)));
        }
        ensure_unit(&mut tx, v.unit_id).await?;
        if let Some(p) = v.visitor_id {
            let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            if ok.is_none() {
                return Err(StoreError::rule("visitor_missing", format!("走访人 {p} 不在人员名册中")));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprise_visits (enterprise_id, visited_on, visitor_id, unit_id, findings, visitor_name, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(v.enterprise_id)
        .bind(v.visited_on.to_string())
        .bind(v.visitor_id)
        .bind(v.unit_id)
        .bind(findings)
        .bind(v.visitor_name.trim())
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            "visit.create",
            "visit",
            Some(id),
            None,
            Some(&json!({ "enterprise_id": v.enterprise_id, "visited_on": v.visited_on, "unit_id": v.unit_id, "findings": findings, "problems": v.problems.len() })),
        )
        .await?;
        let mut ids = Vec::new();
        for p in &v.problems {
            let mut p = p.clone();
            p.visit_id = Some(id);
            p.enterprise_id = Some(v.enterprise_id);
            p.raised_on = Some(p.raised_on.unwrap_or(v.visited_on));
            ids.push(insert_problem(self, &mut tx, &cal, &p, ctx).await?);
        }
        tx.commit().await?;
        Ok((self.visit(id).await?, ids))
    }

    /// 三服务 by visiting unit in `period`: visits made and problems raised from them, most
    /// visits first.
    pub async fn visits_by_unit(&self, period: Period, within_units: Option<&[i64]>) -> Result<Vec<VisitUnitRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT v.unit_id, u.name AS unit_name, COUNT(*) AS visits, CAST(COALESCE(SUM(pc.n), 0) AS BIGINT) AS problems \
             FROM enterprise_visits v JOIN units u ON u.id = v.unit_id \
             LEFT JOIN (SELECT visit_id, COUNT(*) AS n FROM problems WHERE visit_id IS NOT NULL GROUP BY visit_id) pc ON pc.visit_id = v.id WHERE v.visited_on >= ",
        );
        q.arg(period.start).push(" AND v.visited_on <= ").arg(period.end);
        if let Some(units) = within_units {
            q.push(" AND v.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" GROUP BY v.unit_id, u.name ORDER BY COUNT(*) DESC, v.unit_id");
        read_all(q.query(), &self.pool, |r| {
            Ok(VisitUnitRow {
                unit: named(r, "unit_id", "unit_name")?,
                visits: i64_(r, "visits")?,
                problems: opt_i64(r, "problems")?.unwrap_or(0),
            })
        })
        .await
    }
}
