//! Access to a project, for every route and page: the one check of the actor's scope against
//! the project's unit. A leaf: it imports no mechanism.

use crate::AppState;
use crate::error::ApiError;

/// Refuses (403) a reader outside the project's unit scope; 404 when there is no project.
/// The one check of access to a project, for every route and page: 404 when there is no
/// such project, 403 when `action` (given the project's unit) is not the actor's to take.
pub async fn check_project(
    st: &AppState,
    actor: &zhantu_domain::access::Actor,
    id: i64,
    action: fn(i64) -> zhantu_domain::access::Action,
) -> Result<(), ApiError> {
    let unit_id = match st.store.project_unit(id).await {
        Ok(u) => u,
        Err(zhantu_store::StoreError::NotFound) => return Err(ApiError::not_found(format!("项目 {id} 不存在"))),
        Err(e) => return Err(e.into()),
    };
    Ok(actor.may(action(unit_id))?)
}

pub fn read(unit_id: i64) -> zhantu_domain::access::Action {
    zhantu_domain::access::Action::Read { unit_id }
}

pub fn edit(unit_id: i64) -> zhantu_domain::access::Action {
    zhantu_domain::access::Action::Edit { unit_id }
}

/// The units whose records a unit-scoped reader sees; `None`: everything.
pub fn scope(actor: &zhantu_domain::access::Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}
