//! The in-app inbox. After each lights run, every coordinator, leader and administrator gets
//! a digest, and the unit editors and viewers of a unit are told of each project of theirs
//! that turned red.

use crate::row::{i64_, opt_text, rows_for, text};
use crate::writes::{insert_notification, now};
use crate::{Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use zhantu_domain::access::Role;

#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: i64,
    pub created_at: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub read_at: Option<String>,
}

/// A project that turned red in a run.
#[derive(Debug, Clone)]
pub struct NewRed {
    pub project_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub reason: String,
}

impl Store {
    /// Writes the notifications of a lights run.
    pub async fn notify_lights(&self, run: &crate::LightsRun, new_reds: &[NewRed]) -> Result<usize, StoreError> {
        let users = self.users().await?;
        let mut tx = self.pool.begin().await?;
        let t = now();
        let mut n = 0;
        let mut scopes: HashMap<i64, Vec<i64>> = HashMap::new();
        for u in users.iter().filter(|u| u.active) {
            let (title, body, link) = match u.role {
                Role::Admin | Role::Coordinator | Role::Leader => (
                    format!("{}亮灯日报：红灯{}个，新增{}个", run.as_of, run.red, new_reds.len()),
                    format!(
                        "截至{}：红灯{}个、黄灯{}个、绿灯{}个。新增红灯：{}",
                        run.as_of,
                        run.red,
                        run.yellow,
                        run.green,
                        if new_reds.is_empty() {
                            "无".to_string()
                        } else {
                            new_reds.iter().take(20).map(|r| r.name.as_str()).collect::<Vec<_>>().join("、")
                        }
                    ),
                    "/projects?light=red".to_string(),
                ),
                Role::UnitEditor | Role::Viewer => {
                    if !scopes.contains_key(&u.unit_id) {
                        scopes.insert(u.unit_id, self.unit_and_descendants(u.unit_id).await?);
                    }
                    let scope = &scopes[&u.unit_id];
                    let mine: Vec<&NewRed> = new_reds.iter().filter(|r| scope.contains(&r.unit_id)).collect();
                    if mine.is_empty() {
                        continue;
                    }
                    (
                        format!("本单位新增红灯项目{}个", mine.len()),
                        mine.iter()
                            .map(|r| format!("{}：{}", r.name, r.reason))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        format!("/projects/{}", mine[0].project_id),
                    )
                }
            };
            insert_notification(&mut tx, u.id, &t, "lights", &title, &body, &link).await?;
            n += 1;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// A user's inbox, newest first.
    pub async fn notifications(&self, user_id: i64, unread_only: bool) -> Result<Vec<Notification>, StoreError> {
        let sql = if unread_only {
            "SELECT * FROM notifications WHERE user_id = $1 AND read_at IS NULL ORDER BY id DESC LIMIT 200"
        } else {
            "SELECT * FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 200"
        };
        rows_for(&self.pool, sql, user_id, |r| {
            Ok(Notification {
                id: i64_(r, "id")?,
                created_at: text(r, "created_at")?,
                kind: text(r, "kind")?,
                title: text(r, "title")?,
                body: text(r, "body")?,
                link: text(r, "link")?,
                read_at: opt_text(r, "read_at")?,
            })
        })
        .await
    }

    /// Marks one of the user's notifications read; another user's is "not found".
    pub async fn mark_read(&self, user_id: i64, id: i64) -> Result<(), StoreError> {
        let n = sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at IS NULL")
            .bind(now())
            .bind(id)
            .bind(user_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if n == 0 {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM notifications WHERE id = $1 AND user_id = $2")
                .bind(id)
                .bind(user_id)
                .fetch_optional(&self.pool)
                .await?;
            exists.ok_or(StoreError::NotFound)?;
        }
        Ok(())
    }

    /// Marks every unread notification of the user read; how many were.
    pub async fn mark_all_read(&self, user_id: i64) -> Result<u64, StoreError> {
        Ok(
            sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                .bind(now())
                .bind(user_id)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
