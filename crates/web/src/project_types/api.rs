//! The JSON routes of the project types (nested under `/api/v1`): the list, one type whole
//! (its steps and clocks), a new type, and a type saved whole. Every write is
//! `Action::ManageMasterData`; the rules of a template are the domain's
//! (`ProjectTypeSpec::checked`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{Created, created};
use crate::routes::{Routes, get};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::codes::record_key;
use zhantu_domain::project_types::{ProjectTypeSpec, TemplateStep, TypeClock};
use zhantu_store::project_types::ProjectTypeRecord;

pub fn router() -> Routes {
    Routes::new()
        .route("/project-types", get(list_types).post(create_type))
        .route("/project-types/{code}", get(get_type).put(save_type))
}

async fn list_types(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    let items = st.store.list_project_types().await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// A type whole, with the steps each clock runs over (`clocked_steps`: seq → clock names).
pub(super) fn type_json(t: &ProjectTypeRecord) -> Value {
    let mut v = json!(t);
    let spec = t.spec();
    v["clocked_steps"] = json!(spec.clocked_steps());
    v
}

async fn get_type(State(st): State<AppState>, _a: Auth, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let t = st.store.project_type(&code).await.or_not_found(format!("项目类型“{code}”不存在"))?;
    Ok(Json(type_json(&t)))
}

/// One step as sent: its `seq` may be left out (then its place in the list, from 1).
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct StepBody {
    #[serde(default)]
    pub seq: Option<i32>,
    pub name: String,
    #[serde(default)]
    pub offset_days: i32,
    #[serde(default)]
    pub depends_on: Vec<i32>,
    #[serde(default)]
    pub owner_hint: String,
    /// 并联 (true) or on the main line (主线, false, the default).
    #[serde(default)]
    pub parallel: bool,
}

/// A type as sent: its names, steps and clocks (and, for a change, the version read).
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct TypeBody {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub version: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub steps: Vec<StepBody>,
    #[serde(default)]
    pub clocks: Vec<TypeClock>,
}

impl TypeBody {
    fn spec(self) -> Result<ProjectTypeSpec, ApiError> {
        let steps = self
            .steps
            .into_iter()
            .enumerate()
            .map(|(i, s)| TemplateStep {
                seq: s.seq.unwrap_or(i as i32 + 1),
                name: s.name,
                offset_days: s.offset_days,
                depends_on: s.depends_on,
                owner_hint: s.owner_hint,
                parallel: s.parallel,
            })
            .collect();
        Ok(ProjectTypeSpec {
            name: self.name,
            name_en: self.name_en,
            steps,
            clocks: self.clocks,
        }
        .checked()?)
    }
}

pub(super) async fn do_create_type(st: &AppState, a: &Auth, b: TypeBody) -> Result<ProjectTypeRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let code = record_key(&b.code, "invalid_project_type_code", "项目类型代码")?;
    let spec = b.spec()?;
    Ok(st.store.create_project_type(&code, &spec, &a.audit()).await?)
}

async fn create_type(State(st): State<AppState>, a: Auth, Json(b): Json<TypeBody>) -> Result<Created<Value>, ApiError> {
    Ok(created(type_json(&do_create_type(&st, &a, b).await?)))
}

pub(super) async fn do_save_type(st: &AppState, a: &Auth, code: &str, b: TypeBody) -> Result<ProjectTypeRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::bad_request("version_missing", "请提交读取时的版本号（version）"))?;
    let spec = b.spec()?;
    st.store
        .update_project_type(code, version, &spec, &a.audit())
        .await
        .or_not_found(format!("项目类型“{code}”不存在"))
}

/// `PUT /project-types/{code}`: the type whole (`version`, `name`, `name_en`, `steps`,
/// `clocks`) replaces what it was. Existing projects keep their nodes.
async fn save_type(
    State(st): State<AppState>,
    a: Auth,
    Path(code): Path<String>,
    Json(b): Json<TypeBody>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(type_json(&do_save_type(&st, &a, &code, b).await?)))
}
