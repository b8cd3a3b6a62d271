//! 初始化: a new district's first records (`zhantu init`, the first-run page) written in one
//! audited transaction — its settings, units, default project types with their templates,
//! categories, approval clocks, light rules, the working calendar and the first
//! administrator — and refused once the database holds a district.

use crate::accounts::insert_user;
use crate::audit::{AuditCtx, append};
use crate::{NewUser, Store, StoreError, User};
use serde::Serialize;
use serde_json::json;
use std::sync::atomic::Ordering;
use zhantu_domain::access::Role;
use zhantu_domain::reference;
use zhantu_domain::setup::DistrictSetup;

/// What a setup wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SetupReport {
    pub units: usize,
    /// Of the units, the streets and towns from the shipped township data.
    pub streets: usize,
    pub project_types: usize,
    pub node_templates: usize,
    pub categories: usize,
    pub approval_clocks: usize,
    /// Days of the working calendar (holidays and make-up working days).
    pub holidays: usize,
    pub admin: User,
}

/// The setting that holds the SHA-256 (hex) of the first-run page's setup code.
const SETUP_CODE_KEY: &str = "setup_code_sha256";

impl Store {
    /// Keeps the digest of a new setup code for the first-run page, replacing any earlier one:
    /// `zhantu serve` makes a code when it starts on a database with no district and prints it,
    /// so only whoever can read the server's output can set the district up.
    pub async fn set_setup_code_digest(&self, sha256_hex: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(SETUP_CODE_KEY)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(SETUP_CODE_KEY)
            .bind(sha256_hex)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The digest kept by [`Store::set_setup_code_digest`], if a code was made.
    pub async fn setup_code_digest(&self) -> Result<Option<String>, StoreError> {
        self.setting(SETUP_CODE_KEY).await
    }

    /// True while no district has been set up in the database (it has no unit). Once it has
    /// one it keeps it, so this store stops asking.
    pub async fn needs_setup(&self) -> Result<bool, StoreError> {
        if self.set_up.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let empty = self.is_empty().await?;
        if !empty {
            self.set_up.store(true, Ordering::Relaxed);
        }
        Ok(empty)
    }

    /// Sets up a new district, all or nothing: refused (`already_initialised`) when the
    /// database has units. The first administrator belongs to the district's government.
    pub async fn init_district(&self, setup: &DistrictSetup, ctx: &AuditCtx) -> Result<SetupReport, StoreError> {
        let ds = setup.dataset();
        // The audit lock first: two setups at once are served one after the other, and the
        // second sees the first one's units.
        let mut tx = self.begin_locked().await?;
        let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&mut *tx).await?;
        if units > 0 {
            return Err(StoreError::rule(
                "already_initialised",
                "本数据库已经初始化（已有单位），不能再次初始化；增加账户请用 zhantu user add 或在“用户管理”页面操作",
            ));
        }
        self.write_dataset(&mut tx, &ds).await?;
        // The first-run page's code has served its purpose.
        sqlx::query("DELETE FROM settings WHERE key = $1")
            .bind(SETUP_CODE_KEY)
            .execute(&mut *tx)
            .await?;
        let root = ds.units.first().map(|u| u.id).ok_or(StoreError::NotFound)?;
        let p = &setup.place;
        let holidays = reference::holidays().count();
        let after = json!({
            "district_name": p.name,
            "district_division": p.division.as_str(),
            "province_division": p.province.as_str(),
            "units": ds.units.len(),
            "streets": p.streets.len(),
            "project_types": ds.project_types.len(),
            "node_templates": ds.node_templates.len(),
            "categories": ds.categories.len(),
            "approval_clocks": ds.approval_clocks.len(),
            "holidays": holidays,
        });
        append(&mut tx, ctx, "district.init", "district", None, None, Some(&after)).await?;
        let admin = insert_user(
            &mut tx,
            &NewUser {
                username: setup.admin_username.clone(),
                display_name: setup.admin_display_name.clone(),
                role: Role::Admin,
                unit_id: root,
                password_hash: setup.admin_password_hash.clone(),
                must_change_password: setup.must_change_password,
            },
            ctx,
        )
        .await?;
        tx.commit().await?;
        self.set_up.store(true, Ordering::Relaxed);
        Ok(SetupReport {
            units: ds.units.len(),
            streets: p.streets.len(),
            project_types: ds.project_types.len(),
            node_templates: ds.node_templates.len(),
            categories: ds.categories.len(),
            approval_clocks: ds.approval_clocks.len(),
            holidays,
            admin,
        })
    }
}
