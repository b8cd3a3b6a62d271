//! Importing enterprises: matched by credit code, with their tags.

use super::{Tally, dbg, update_by_id, vals};
use crate::StoreError;
use crate::row::{Val, i64_, text};
use sqlx::AnyConnection;
use std::collections::HashMap;

pub(super) async fn import_enterprises(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::EnterpriseRow],
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[("name", false), ("industry_code", false), ("division_code", false)];
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT enterprise_id, tag FROM enterprise_tags ORDER BY tag")
        .fetch_all(&mut *c)
        .await?
    {
        tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
    }
    let mut existing: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in sqlx::query("SELECT id, credit_code, name, industry_code, division_code FROM enterprises")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(text(&r, "credit_code")?, (i64_(&r, "id")?, vals(&r, COLS)?));
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        let v: Vec<Val> = vec![
            (&r.name).into(),
            r.industry_code.clone().into(),
            r.division.as_ref().map(|d| d.as_str()).into(),
        ];
        let key = r.credit_code.as_str().to_string();
        let id = match existing.get(&key) {
            Some((id, old)) => {
                let mut old_tags = tags.get(id).cloned().unwrap_or_default();
                old_tags.sort();
                if dbg(old) == dbg(&v) && old_tags == r.tags {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "enterprises", COLS, &v, ", version = version + 1", *id).await?;
                sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1")
                    .bind(*id)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
                *id
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO enterprises (credit_code, name, industry_code, division_code) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(r.credit_code.as_str())
                .bind(&r.name)
                .bind(r.industry_code.as_deref())
                .bind(r.division.as_ref().map(|d| d.as_str()))
                .fetch_one(&mut *c)
                .await?;
                t.created(key);
                id
            }
        };
        for tag in &r.tags {
            sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(tag)
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}
