//! What the daily escalation runs share (the problem list's and the 督办单's): the ladder as the
//! district set it, and who is told of an item that rose to a level. A leaf: it imports no
//! mechanism; the rule of who is told is the domain's (`zhantu_domain::escalation::is_told`).

use crate::accounts::User;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use zhantu_domain::access::Role;
use zhantu_domain::escalation::{Ladder, is_told, level_label_zh};

impl Store {
    /// The escalation ladder: the `problem_escalation_days` setting (`5,10,15`), else the
    /// default of PRACTICE.md §5.2. Problems and 督办单 climb the same ladder.
    pub async fn escalation_ladder(&self) -> Result<Ladder, StoreError> {
        match self.setting("problem_escalation_days").await? {
            Some(s) => Ladder::parse(&s).map_err(|e| StoreError::Corrupt(e.message)),
            None => Ok(Ladder::default()),
        }
    }
}

/// The active users told when an item of `unit_id` (on a project whose responsible leader is
/// named `leader`, if any) rises to `level`: a leader is "the" leader when named so, or when
/// the project names none (then every district leader is told).
pub(crate) fn told(users: &[User], unit_id: i64, leader: Option<&str>, level: i64) -> Vec<i64> {
    let named: Vec<i64> = leader
        .map(|n| {
            users
                .iter()
                .filter(|u| u.active && u.role == Role::Leader && u.display_name == n)
                .map(|u| u.id)
                .collect()
        })
        .unwrap_or_default();
    let level = level.clamp(0, 3) as u8;
    users
        .iter()
        .filter(|u| u.active && is_told(u.role, level, u.unit_id == unit_id, named.is_empty() || named.contains(&u.id)))
        .map(|u| u.id)
        .collect()
}

/// Raises the item `id` of `table` (`problems`, `instructions`: each with `escalation_level`
/// and `escalated_on`) to `level` on `today`; the note of its history entry.
pub(crate) async fn raise(
    conn: &mut AnyConnection,
    table: &'static str,
    id: i64,
    (level, overdue_days): (i64, i64),
    today: NaiveDate,
) -> Result<String, StoreError> {
    sqlx::query(&format!(
        "UPDATE {table} SET escalation_level = $1, escalated_on = $2 WHERE id = $3"
    ))
    .bind(level)
    .bind(today.to_string())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(format!(
        "逾期{overdue_days}个工作日，升级为{}",
        level_label_zh(level.clamp(0, 3) as u8)
    ))
}
