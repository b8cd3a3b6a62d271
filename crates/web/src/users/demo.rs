//! The demo district's accounts, created by `zhantu demo`.

use crate::auth;
use crate::error::ApiError;
use zhantu_domain::access::Role;
use zhantu_store::NewUser;

/// The demo's accounts, one per role (README lists them). All use `DEMO_PASSWORD`.
pub const DEMO_PASSWORD: &str = "Zhantu2019";
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "系统管理员", Role::Admin, ""),
    ("fgj", "发改局统筹员", Role::Coordinator, "区发改局"),
    ("haimen", "海门街道填报员", Role::UnitEditor, "海门街道"),
    ("lingdao", "区领导", Role::Leader, ""),
    ("chakan", "海门街道查看员", Role::Viewer, "海门街道"),
];

/// Creates the demo accounts in a freshly loaded demo database.
pub async fn create_demo_accounts(st: &zhantu_store::Store) -> Result<(), ApiError> {
    let root = st.root_unit().await?.ok_or_else(|| ApiError::internal("no units"))?;
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    let ctx = zhantu_store::AuditCtx::system("demo");
    for (username, name, role, unit) in DEMO_ACCOUNTS {
        let unit_id = if unit.is_empty() {
            root
        } else {
            st.unit_by_name(unit).await?.unwrap_or(root)
        };
        st.create_user(
            &NewUser {
                username: username.to_string(),
                display_name: name.to_string(),
                role: *role,
                unit_id,
                password_hash: hash.clone(),
                must_change_password: false,
            },
            &ctx,
        )
        .await?;
    }
    Ok(())
}
