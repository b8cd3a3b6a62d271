//! The district settings (区县设置): name, division code, province code, data date, OC4IDS
//! prefix and the statistics threshold (入统门槛), read
//! together with a revision (a fingerprint of their values, like a calendar year's) and saved
//! together, audited, refused when the revision read is no longer current.

use crate::audit::AuditCtx;
use crate::row::{read_all, text};
use crate::writes::commit_audited;
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use zhantu_domain::settings::{
    AS_OF, DISTRICT_DIVISION, DISTRICT_NAME, DistrictSettings, OC4IDS_PREFIX, PROVINCE_DIVISION, STATISTICS_MIN_TOTAL,
    STATISTICS_REQUIRES_START,
};

/// The district settings as stored (each absent until set), with their revision.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SettingsView {
    /// A fingerprint of the values: a change must name the one it was made from.
    pub revision: String,
    pub district_name: Option<String>,
    pub district_division: Option<String>,
    pub province_division: Option<String>,
    /// 数据日; absent: today.
    pub as_of: Option<String>,
    /// The OC4IDS project-id prefix; absent: the default (`oc4ids-zhantu`).
    pub oc4ids_prefix: Option<String>,
    /// The statistics threshold's least total investment, in 元 as stored; absent: 500万元.
    pub statistics_min_total: Option<String>,
    /// Must a project have started to be due in statistics (`1`/`0`); absent: yes.
    pub statistics_requires_start: Option<String>,
}

const KEYS: [&str; 7] = [
    DISTRICT_NAME,
    DISTRICT_DIVISION,
    PROVINCE_DIVISION,
    AS_OF,
    OC4IDS_PREFIX,
    STATISTICS_MIN_TOTAL,
    STATISTICS_REQUIRES_START,
];

async fn read(conn: &mut sqlx::AnyConnection) -> Result<SettingsView, StoreError> {
    let rows = read_all(
        sqlx::query("SELECT key, value FROM settings WHERE key IN ($1, $2, $3, $4, $5, $6, $7)")
            .bind(KEYS[0])
            .bind(KEYS[1])
            .bind(KEYS[2])
            .bind(KEYS[3])
            .bind(KEYS[4])
            .bind(KEYS[5])
            .bind(KEYS[6]),
        &mut *conn,
        |r| Ok((text(r, "key")?, text(r, "value")?)),
    )
    .await?;
    let get = |k: &str| rows.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let values = KEYS.map(get);
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (k, v) in KEYS.iter().zip(&values) {
        // The keys added later are hashed only once set, so revisions read before they existed
        // stand.
        if [OC4IDS_PREFIX, STATISTICS_MIN_TOTAL, STATISTICS_REQUIRES_START].contains(k) && v.is_none() {
            continue;
        }
        h.update(format!("{k}={}\n", v.as_deref().unwrap_or("\u{0}")));
    }
    let [
        district_name,
        district_division,
        province_division,
        as_of,
        oc4ids_prefix,
        statistics_min_total,
        statistics_requires_start,
    ] = values;
    Ok(SettingsView {
        revision: h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect(),
        district_name,
        district_division,
        province_division,
        as_of,
        oc4ids_prefix,
        statistics_min_total,
        statistics_requires_start,
    })
}

impl Store {
    pub async fn district_settings(&self) -> Result<SettingsView, StoreError> {
        read(&mut *self.pool.acquire().await?).await
    }

    /// Saves the settings at once (an empty data date removes it: today). `revision`
    /// must be the one read (else 409). A new division code makes the figures' roll-ups reload;
    /// a new data date recomputes every light as of it.
    pub async fn set_district_settings(&self, revision: &str, s: &DistrictSettings, ctx: &AuditCtx) -> Result<SettingsView, StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = read(&mut tx).await?;
        if before.revision != revision {
            return Err(self.stale(tx, "settings", 0).await?);
        }
        for (key, value) in s.entries() {
            match value {
                Some(v) => {
                    sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                        .bind(key)
                        .bind(v)
                        .execute(&mut *tx)
                        .await?
                }
                None => {
                    sqlx::query("DELETE FROM settings WHERE key = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?
                }
            };
        }
        let after = read(&mut tx).await?;
        if after.district_division != before.district_division || after.province_division != before.province_division {
            // The roll-ups place projects without a division of their own in the district's.
            sqlx::query("INSERT INTO changes (project_id, problem_id) VALUES (NULL, NULL)")
                .execute(&mut *tx)
                .await?;
        }
        let values = |v: &SettingsView| json!({ DISTRICT_NAME: v.district_name, DISTRICT_DIVISION: v.district_division, PROVINCE_DIVISION: v.province_division, AS_OF: v.as_of, OC4IDS_PREFIX: v.oc4ids_prefix, STATISTICS_MIN_TOTAL: v.statistics_min_total, STATISTICS_REQUIRES_START: v.statistics_requires_start });
        commit_audited(
            tx,
            ctx,
            ("settings.update", "settings", Some(0)),
            Some(&values(&before)),
            Some(&values(&after)),
        )
        .await?;
        if after.as_of != before.as_of {
            self.recompute_lights("settings").await?;
        }
        Ok(after)
    }
}
