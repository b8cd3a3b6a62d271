//! The close-out of nodes (销号, two steps) and controlled date changes: the unit reports a
//! node done with evidence, the coordinator verifies it or sends it back; once the baseline is
//! approved a planned date moves only through a request a coordinator approves, and the
//! baseline never moves. The plan itself (nodes from a template, added, edited, removed,
//! reordered, the baseline approved) is `plan.rs`.

mod plan;

pub use plan::{NewNode, NodeChange};

use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_date, opt_i64, opt_text, rows_for, text};
use crate::writes::{Tx, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use zhantu_domain::exif::{GeoPoint, PhotoFacts};
use zhantu_domain::nodes::{Baseline, check_date_change_allowed};

/// A node with what access checks and workflows need.
#[derive(Debug, Clone, Serialize)]
pub struct NodeState {
    pub id: i64,
    pub project_id: i64,
    pub project_unit_id: i64,
    pub responsible_unit_id: i64,
    pub name: String,
    pub seq: i64,
    pub planned_on: NaiveDate,
    pub baseline_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub status: String,
    pub version: i64,
    pub reported_by: Option<String>,
    pub reported_at: Option<String>,
    /// The unit's note with its report (说明).
    pub report_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<String>,
    pub return_reason: Option<String>,
    /// The project's plan: a draft, or its baseline approved.
    pub baseline: Baseline,
}

/// An uploaded evidence file, already checked by content.
#[derive(Debug, Clone)]
pub struct EvidenceFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// When the server had received the whole file (RFC 3339, UTC).
    pub received_at: String,
    /// What a photo's EXIF says: when and where it was taken.
    pub photo: PhotoFacts,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceInfo {
    pub id: i64,
    pub node_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// When the server had received the file (before the report was saved); none for
    /// evidence older than this record.
    pub received_at: Option<String>,
    /// When a photo was taken, in the camera's local time (EXIF), as `2019-12-20 10:15:00`.
    pub taken_at: Option<String>,
    /// Where a photo was taken (EXIF GPS), in decimal degrees.
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

impl EvidenceInfo {
    pub fn position(&self) -> Option<GeoPoint> {
        GeoPoint::new(self.lat?, self.lng?)
    }
}

/// Degrees as stored: integer microdegrees, exact on both engines.
pub(crate) fn e6(v: f64) -> i64 {
    (v * 1_000_000.0).round() as i64
}

pub(crate) fn from_e6(v: Option<i64>) -> Option<f64> {
    v.map(|v| v as f64 / 1_000_000.0)
}

/// The position stored in a row's `lat_e6`, `lng_e6`.
pub(crate) fn position(r: &sqlx::any::AnyRow) -> Result<Option<GeoPoint>, StoreError> {
    Ok(match (from_e6(opt_i64(r, "lat_e6")?), from_e6(opt_i64(r, "lng_e6")?)) {
        (Some(lat), Some(lng)) => GeoPoint::new(lat, lng),
        _ => None,
    })
}

fn evidence_info(r: &sqlx::any::AnyRow) -> Result<EvidenceInfo, StoreError> {
    let at = position(r)?;
    Ok(EvidenceInfo {
        id: i64_(r, "id")?,
        node_id: i64_(r, "node_id")?,
        file_name: text(r, "file_name")?,
        content_type: text(r, "content_type")?,
        size_bytes: i64_(r, "size_bytes")?,
        sha256: text(r, "sha256")?,
        uploaded_by: text(r, "uploaded_by")?,
        uploaded_at: text(r, "uploaded_at")?,
        received_at: opt_text(r, "received_at")?,
        taken_at: opt_text(r, "taken_at")?,
        lat: at.map(|p| p.lat),
        lng: at.map(|p| p.lng),
    })
}

const EVIDENCE_INFO: &str = "SELECT id, node_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at, received_at, taken_at, lat_e6, lng_e6 FROM evidence";

#[derive(Debug, Clone, Serialize)]
pub struct DateChange {
    pub id: i64,
    pub node_id: i64,
    pub old_planned_on: NaiveDate,
    pub new_planned_on: NaiveDate,
    pub reason_code: String,
    pub reason_text: String,
    pub status: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

const NODE_STATE: &str = "SELECT n.id, n.project_id, p.unit_id AS project_unit_id, n.responsible_unit_id, n.name, n.seq, n.planned_on, n.baseline_on, \
     n.actual_on, n.status, n.version, n.reported_by, n.reported_at, n.report_note, n.verified_by, n.verified_at, n.return_reason, p.baseline FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.id = $1";

fn node_state(r: &sqlx::any::AnyRow) -> Result<NodeState, StoreError> {
    Ok(NodeState {
        id: i64_(r, "id")?,
        project_id: i64_(r, "project_id")?,
        project_unit_id: i64_(r, "project_unit_id")?,
        responsible_unit_id: i64_(r, "responsible_unit_id")?,
        name: text(r, "name")?,
        seq: i64_(r, "seq")?,
        planned_on: date(r, "planned_on")?,
        baseline_on: date(r, "baseline_on")?,
        actual_on: opt_date(r, "actual_on")?,
        status: text(r, "status")?,
        version: i64_(r, "version")?,
        reported_by: opt_text(r, "reported_by")?,
        reported_at: opt_text(r, "reported_at")?,
        report_note: opt_text(r, "report_note")?,
        verified_by: opt_text(r, "verified_by")?,
        verified_at: opt_text(r, "verified_at")?,
        return_reason: opt_text(r, "return_reason")?,
        baseline: baseline(r)?,
    })
}

/// The project's plan state, from a row with its `baseline` column.
pub(crate) fn baseline(r: &sqlx::any::AnyRow) -> Result<Baseline, StoreError> {
    let code = text(r, "baseline")?;
    Baseline::from_code(&code).ok_or_else(|| crate::writes::corrupt("projects.baseline", &code))
}

/// A node's state, read through `e`: the pool or a transaction.
async fn node_state_in<'e>(e: impl sqlx::Executor<'e, Database = sqlx::Any> + 'e, id: i64) -> Result<NodeState, StoreError> {
    node_state(&found(sqlx::query(NODE_STATE).bind(id), e).await?)
}

fn snapshot(n: &NodeState) -> serde_json::Value {
    json!({ "status": n.status, "planned_on": n.planned_on, "actual_on": n.actual_on, "version": n.version })
}

/// The reasons a planned date may move (PRACTICE §3.1 L5 and common practice).
pub const DATE_CHANGE_REASONS: &[(&str, &str)] = &[
    ("approval_delay", "前期审批滞后"),
    ("land", "土地征迁/政策处理未完成"),
    ("planning", "规划调整"),
    ("funding", "资金未到位"),
    ("investor", "投资主体原因"),
    ("weather", "天气等不可抗力"),
    ("design", "设计变更"),
    ("other", "其他"),
];

impl Store {
    /// Starts an audited write of a node: takes the audit lock, reads the node, and refuses
    /// a stale version (naming who changed it).
    async fn begin_node_write(&self, id: i64, version: i64) -> Result<(Tx, NodeState), StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = node_state_in(&mut *tx, id).await?;
        if before.version != version {
            return Err(self.stale(tx, "node", id).await?);
        }
        Ok((tx, before))
    }

    /// Ends an audited write of a node: its audit entry from `before` to `after`, and the commit.
    async fn commit_node_write(
        mut tx: Tx,
        ctx: &AuditCtx,
        action: &str,
        before: &NodeState,
        after: &serde_json::Value,
    ) -> Result<(), StoreError> {
        append(&mut tx, ctx, action, "node", Some(before.id), Some(&snapshot(before)), Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn node_state(&self, id: i64) -> Result<NodeState, StoreError> {
        node_state_in(&self.pool, id).await
    }

    /// Step one of a close-out: the unit reports the node done on `actual_on`, with evidence.
    pub async fn report_node_done(
        &self,
        id: i64,
        version: i64,
        actual_on: NaiveDate,
        note: &str,
        files: &[EvidenceFile],
        ctx: &AuditCtx,
    ) -> Result<NodeState, StoreError> {
        let (mut tx, before) = self.begin_node_write(id, version).await?;
        if before.status != "open" {
            return Err(StoreError::rule(
                "node_already_reported",
                format!(
                    "节点“{}”已{}，不能重复报送",
                    before.name,
                    if before.status == "closed" { "销号" } else { "报送待核验" }
                ),
            ));
        }
        // Predecessors: explicit dependencies, else the nodes before it in the plan.
        let open_before: Vec<String> = sqlx::query_scalar(
            "SELECT o.name FROM nodes o WHERE o.status <> 'closed' AND (o.id IN (SELECT depends_on_id FROM node_dependencies WHERE node_id = $1) \
             OR (NOT EXISTS (SELECT 1 FROM node_dependencies WHERE node_id = $1) AND o.project_id = $2 AND o.seq < $3)) ORDER BY o.seq",
        )
        .bind(id)
        .bind(before.project_id)
        .bind(before.seq)
        .fetch_all(&mut *tx)
        .await?;
        if !open_before.is_empty() {
            return Err(StoreError::rule(
                "node_predecessor_open",
                format!("前置节点“{}”尚未销号，本节点不能先报完成", open_before.join("、")),
            ));
        }
        let t = now();
        sqlx::query(
            "UPDATE nodes SET status = 'reported', actual_on = $1, reported_by = $2, reported_at = $3, report_note = $4, return_reason = NULL, \
             version = version + 1 WHERE id = $5",
        )
        .bind(actual_on.to_string())
        .bind(&ctx.actor)
        .bind(&t)
        .bind(note)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for f in files {
            sqlx::query(
                "INSERT INTO evidence (node_id, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at, content, received_at, taken_at, lat_e6, lng_e6) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(id)
            .bind(&f.file_name)
            .bind(&f.content_type)
            .bind(f.bytes.len() as i64)
            .bind(&f.sha256)
            .bind(&ctx.actor)
            .bind(&t)
            .bind(f.bytes.clone())
            .bind(&f.received_at)
            .bind(f.photo.taken_at.map(|d| d.to_string()))
            .bind(f.photo.position.map(|p| e6(p.lat)))
            .bind(f.photo.position.map(|p| e6(p.lng)))
            .execute(&mut *tx)
            .await?;
        }
        let after = node_state_in(&mut *tx, id).await?;
        let mut after_json = snapshot(&after);
        after_json["evidence"] = json!(
            files
                .iter()
                .map(|f| json!({
                    "file": f.file_name,
                    "sha256": f.sha256,
                    "size_bytes": f.bytes.len(),
                    "received_at": f.received_at,
                    "taken_at": f.photo.taken_at.map(|d| d.to_string()),
                    "position": f.photo.position.map(|p| json!({ "lat": p.lat, "lng": p.lng })),
                }))
                .collect::<Vec<_>>()
        );
        after_json["note"] = json!(note);
        Self::commit_node_write(tx, ctx, "node.report_done", &before, &after_json).await?;
        Ok(after)
    }

    /// Step two: the coordinator verifies (销号) or sends the report back with a reason.
    pub async fn verify_node(&self, id: i64, version: i64, approve: bool, reason: &str, ctx: &AuditCtx) -> Result<NodeState, StoreError> {
        let (mut tx, before) = self.begin_node_write(id, version).await?;
        if before.status != "reported" {
            return Err(StoreError::rule(
                "node_not_reported",
                format!("节点“{}”没有待核验的完成报送", before.name),
            ));
        }
        if approve {
            // A problem that blocks the node (问题清单) must be closed out first.
            let blocking: Vec<String> =
                sqlx::query_scalar("SELECT description FROM problems WHERE blocking_node_id = $1 AND status <> 'closed' ORDER BY id")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
            if !blocking.is_empty() {
                return Err(StoreError::rule(
                    "node_blocked",
                    format!(
                        "节点“{}”有{}个未销号的阻塞问题（{}），问题销号后才能核验销号",
                        before.name,
                        blocking.len(),
                        blocking
                            .iter()
                            .map(|d| d.chars().take(30).collect::<String>())
                            .collect::<Vec<_>>()
                            .join("；")
                    ),
                ));
            }
            sqlx::query("UPDATE nodes SET status = 'closed', verified_by = $1, verified_at = $2, light = NULL, light_reason = NULL, light_reason_en = NULL, version = version + 1 WHERE id = $3")
                .bind(&ctx.actor)
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        } else {
            if reason.trim().is_empty() {
                return Err(StoreError::rule("node_return_reason_missing", "退回须说明理由"));
            }
            sqlx::query("UPDATE nodes SET status = 'open', actual_on = NULL, return_reason = $1, version = version + 1 WHERE id = $2")
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = node_state_in(&mut *tx, id).await?;
        let mut after_json = snapshot(&after);
        if !approve {
            after_json["reason"] = json!(reason);
        }
        self.refresh_project_lights(&mut tx, after.project_id).await?;
        let action = if approve { "node.verify" } else { "node.return" };
        Self::commit_node_write(tx, ctx, action, &before, &after_json).await?;
        Ok(after)
    }

    pub async fn evidence_of(&self, node_id: i64) -> Result<Vec<EvidenceInfo>, StoreError> {
        rows_for(
            &self.pool,
            &format!("{EVIDENCE_INFO} WHERE node_id = $1 ORDER BY id"),
            node_id,
            evidence_info,
        )
        .await
    }

    /// An evidence file's node and facts, without its bytes.
    pub async fn evidence_info(&self, id: i64) -> Result<EvidenceInfo, StoreError> {
        evidence_info(&found(sqlx::query(&format!("{EVIDENCE_INFO} WHERE id = $1")).bind(id), &self.pool).await?)
    }

    /// An evidence file's node and bytes.
    pub async fn evidence_content(&self, id: i64) -> Result<(EvidenceInfo, Vec<u8>), StoreError> {
        let r = found(sqlx::query("SELECT * FROM evidence WHERE id = $1").bind(id), &self.pool).await?;
        let bytes: Vec<u8> = sqlx::Row::try_get(&r, "content")?;
        Ok((evidence_info(&r)?, bytes))
    }

    /// Asks to move a node's planned date; waits for a coordinator.
    pub async fn request_date_change(
        &self,
        id: i64,
        new_planned_on: NaiveDate,
        reason_code: &str,
        reason_text: &str,
        ctx: &AuditCtx,
    ) -> Result<DateChange, StoreError> {
        if !DATE_CHANGE_REASONS.iter().any(|(c, _)| *c == reason_code) {
            return Err(StoreError::rule(
                "date_change_reason_unknown",
                format!("改期理由“{reason_code}”不在理由清单中"),
            ));
        }
        if reason_text.trim().is_empty() {
            return Err(StoreError::rule("date_change_reason_missing", "请说明改期的具体原因"));
        }
        let mut tx = self.begin_locked().await?;
        let node = node_state_in(&mut *tx, id).await?;
        check_date_change_allowed(node.baseline)?;
        if node.status == "closed" {
            return Err(StoreError::rule("node_closed", format!("节点“{}”已销号，不能改期", node.name)));
        }
        if new_planned_on == node.planned_on {
            return Err(StoreError::rule("date_change_same_date", "新的计划日期与现在相同"));
        }
        let pending: Option<i64> = sqlx::query_scalar("SELECT id FROM node_date_changes WHERE node_id = $1 AND status = 'pending'")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if pending.is_some() {
            return Err(StoreError::Duplicate(format!("节点“{}”已有一个待审批的改期申请", node.name)));
        }
        let change_id: i64 = sqlx::query_scalar(
            "INSERT INTO node_date_changes (node_id, old_planned_on, new_planned_on, reason_code, reason_text, status, requested_by, requested_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(node.planned_on.to_string())
        .bind(new_planned_on.to_string())
        .bind(reason_code)
        .bind(reason_text.trim())
        .bind(&ctx.actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            "node.request_date_change",
            "node",
            Some(id),
            Some(&json!({ "planned_on": node.planned_on })),
            Some(&json!({ "requested_planned_on": new_planned_on, "reason": reason_code, "text": reason_text, "change_id": change_id })),
        )
        .await?;
        tx.commit().await?;
        self.date_change(change_id).await
    }

    pub async fn date_change(&self, id: i64) -> Result<DateChange, StoreError> {
        let r = found(sqlx::query("SELECT * FROM node_date_changes WHERE id = $1").bind(id), &self.pool).await?;
        date_change(&r)
    }

    /// Every version of a node's schedule: the requests, decided and pending, oldest first.
    pub async fn date_changes_of(&self, node_id: i64) -> Result<Vec<DateChange>, StoreError> {
        rows_for(
            &self.pool,
            "SELECT * FROM node_date_changes WHERE node_id = $1 ORDER BY id",
            node_id,
            date_change,
        )
        .await
    }

    /// The date-change requests of a project's nodes still waiting for a decision, oldest first.
    pub async fn pending_date_changes(&self, project_id: i64) -> Result<Vec<DateChange>, StoreError> {
        rows_for(
            &self.pool,
            "SELECT c.* FROM node_date_changes c JOIN nodes n ON n.id = c.node_id \
             WHERE n.project_id = $1 AND c.status = 'pending' ORDER BY c.id",
            project_id,
            date_change,
        )
        .await
    }

    /// A coordinator approves (the planned date moves; the baseline stays) or rejects.
    pub async fn decide_date_change(&self, id: i64, approve: bool, note: &str, ctx: &AuditCtx) -> Result<DateChange, StoreError> {
        let mut tx = self.begin_locked().await?;
        let r = found(sqlx::query("SELECT * FROM node_date_changes WHERE id = $1").bind(id), &mut *tx).await?;
        let change = date_change(&r)?;
        if change.status != "pending" {
            return Err(StoreError::rule("date_change_decided", "该改期申请已处理"));
        }
        if !approve && note.trim().is_empty() {
            return Err(StoreError::rule("date_change_rejection_reason_missing", "驳回须说明理由"));
        }
        sqlx::query("UPDATE node_date_changes SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 WHERE id = $5")
            .bind(if approve { "approved" } else { "rejected" })
            .bind(&ctx.actor)
            .bind(now())
            .bind(note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if approve {
            sqlx::query("UPDATE nodes SET planned_on = $1, version = version + 1 WHERE id = $2")
                .bind(change.new_planned_on.to_string())
                .bind(change.node_id)
                .execute(&mut *tx)
                .await?;
            let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM nodes WHERE id = $1")
                .bind(change.node_id)
                .fetch_one(&mut *tx)
                .await?;
            self.refresh_project_lights(&mut tx, project_id).await?;
        }
        append(
            &mut tx,
            ctx,
            if approve { "node.approve_date_change" } else { "node.reject_date_change" },
            "node",
            Some(change.node_id),
            Some(&json!({ "planned_on": change.old_planned_on })),
            Some(&json!({ "planned_on": if approve { change.new_planned_on } else { change.old_planned_on }, "change_id": id, "note": note })),
        )
        .await?;
        tx.commit().await?;
        self.date_change(id).await
    }
}

fn date_change(r: &sqlx::any::AnyRow) -> Result<DateChange, StoreError> {
    Ok(DateChange {
        id: i64_(r, "id")?,
        node_id: i64_(r, "node_id")?,
        old_planned_on: date(r, "old_planned_on")?,
        new_planned_on: date(r, "new_planned_on")?,
        reason_code: text(r, "reason_code")?,
        reason_text: text(r, "reason_text")?,
        status: text(r, "status")?,
        requested_by: text(r, "requested_by")?,
        requested_at: text(r, "requested_at")?,
        decided_by: opt_text(r, "decided_by")?,
        decided_at: opt_text(r, "decided_at")?,
        decision_note: opt_text(r, "decision_note")?,
    })
}
