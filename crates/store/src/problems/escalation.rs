//! The daily escalation run: overdue problems climb the ladder (督办 levels), with a history
//! entry and notifications.

use super::{PROBLEM_COLUMNS, ProblemItem, insert_event, problem_item};
use crate::audit::{AuditCtx, append};
use crate::escalation::{raise, told};
use crate::row::{SqlBuf, i64_, read_all, text};
use crate::writes::{insert_notification, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use zhantu_domain::problems::Ladder;

/// One escalation the daily run made.
#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub problem_id: i64,
    pub unit_id: i64,
    pub from_level: i64,
    pub to_level: i64,
    pub overdue_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationRun {
    pub today: NaiveDate,
    /// Open problems past their deadline.
    pub overdue: usize,
    pub escalated: Vec<Escalation>,
    pub notifications: usize,
}

impl Store {
    /// The daily escalation run on `today`: each open (raised or assigned) problem past its
    /// deadline rises to the ladder's level; each rise is written to the problem's history and
    /// the people of that level get a notification. Levels never go down, so a second run on
    /// the same day changes nothing.
    pub async fn escalate_problems(&self, today: NaiveDate, ladder: &Ladder) -> Result<EscalationRun, StoreError> {
        let cal = self.calendar().await?;
        let rows = sqlx::query(&format!(
            "{PROBLEM_COLUMNS} WHERE pr.status IN ('raised', 'assigned') AND pr.deadline < $1 ORDER BY pr.id"
        ))
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut overdue = 0;
        let mut ups: Vec<(ProblemItem, i64)> = Vec::new();
        for r in &rows {
            let p = problem_item(r, &cal, today)?;
            overdue += 1;
            let level = ladder.level(&cal, p.deadline, today) as i64;
            if level > p.escalation_level {
                ups.push((p, level));
            }
        }
        let mut run = EscalationRun {
            today,
            overdue,
            escalated: Vec::new(),
            notifications: 0,
        };
        if ups.is_empty() {
            return Ok(run);
        }
        let users = self.users().await?;
        let leader_names: HashMap<i64, String> = {
            let mut q = SqlBuf::new(
                "SELECT pr.id, pe.name FROM problems pr JOIN projects p ON p.id = pr.project_id JOIN people pe ON pe.id = p.leader_id WHERE pr.id IN ",
            );
            q.in_list(ups.iter().map(|(p, _)| p.id));
            read_all(q.query(), &self.pool, |r| Ok((i64_(r, "id")?, text(r, "name")?)))
                .await?
                .into_iter()
                .collect()
        };
        let ctx = AuditCtx::system("escalate");
        let mut tx = self.begin_locked().await?;
        let t = now();
        // (user id) → the problems to tell them about, by level.
        let mut inbox: BTreeMap<i64, Vec<(i64, i64, String)>> = BTreeMap::new();
        for (p, level) in &ups {
            let note = raise(&mut tx, "problems", p.id, (*level, p.overdue_days), today).await?;
            insert_event(
                &mut tx,
                p.id,
                &ctx.actor,
                "escalate",
                Some(p.state.code()),
                Some(p.state.code()),
                &note,
                None,
                None,
                Some(*level),
            )
            .await?;
            for u in told(&users, p.unit.id, leader_names.get(&p.id).map(String::as_str), *level) {
                inbox
                    .entry(u)
                    .or_default()
                    .push((p.id, *level, p.description.chars().take(40).collect()));
            }
            run.escalated.push(Escalation {
                problem_id: p.id,
                unit_id: p.unit.id,
                from_level: p.escalation_level,
                to_level: *level,
                overdue_days: p.overdue_days,
            });
        }
        for (user_id, items) in &inbox {
            let top = items.iter().map(|i| i.1).max().unwrap_or(1);
            let title = format!("{today}问题督办：{}个逾期问题升级（最高{}级）", items.len(), top);
            let body = items
                .iter()
                .take(30)
                .map(|(id, level, d)| format!("#{id}（{}级）{d}", level))
                .collect::<Vec<_>>()
                .join("\n");
            let link = if items.len() == 1 {
                format!("/problems/{}", items[0].0)
            } else {
                "/problems?overdue=1".to_string()
            };
            insert_notification(&mut tx, *user_id, &t, "escalation", &title, &body, &link).await?;
            run.notifications += 1;
        }
        append(
            &mut tx,
            &ctx,
            "problem.escalate",
            "problem",
            None,
            None,
            Some(&json!({ "today": today, "ladder": ladder.thresholds, "escalated": run.escalated })),
        )
        .await?;
        tx.commit().await?;
        Ok(run)
    }
}
