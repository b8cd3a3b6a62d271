//! The import runs, kept in memory while the server runs: started by the API, followed by the
//! API and the run's page.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};
use zhantu_domain::access::Action;
use zhantu_domain::imports::{ImportKind, Parsed};
use zhantu_store::imports::ImportOutcome;

/// One import run, kept in memory while the server runs (the newest `MAX_JOBS`).
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: u64,
    pub kind: ImportKind,
    pub kind_label: &'static str,
    pub file_name: String,
    pub sheet: String,
    pub dry_run: bool,
    /// `running`, `done` or `failed`.
    pub state: &'static str,
    pub done: usize,
    pub total: usize,
    pub outcome: Option<ImportOutcome>,
    pub error: Option<String>,
    #[serde(skip)]
    user_id: i64,
    /// The parsed rows of a dry run, kept for its commit.
    #[serde(skip)]
    pub(super) parsed: Option<Arc<Parsed>>,
}

const MAX_JOBS: usize = 32;

struct Jobs {
    next: u64,
    jobs: BTreeMap<u64, Job>,
}

static JOBS: LazyLock<Mutex<Jobs>> = LazyLock::new(|| {
    Mutex::new(Jobs {
        next: 1,
        jobs: BTreeMap::new(),
    })
});

fn jobs() -> std::sync::MutexGuard<'static, Jobs> {
    JOBS.lock().unwrap_or_else(|p| p.into_inner())
}

/// A copy of a job without its bad rows (only its owner or an admin may see it).
pub fn job(id: u64, a: &Auth) -> Result<Job, ApiError> {
    job_paged(id, a, 0, 0).map(|(j, _, _)| j)
}

/// Most bad rows one status answer lists; the rest come page by page (`errors_offset`).
pub const MAX_ERRORS_PAGE: usize = 1000;

/// A run with one page of its bad rows (`limit`, at most [`MAX_ERRORS_PAGE`], from `offset`),
/// how many there are in all and where the page starts. Taken under the lock with the bad rows
/// set aside while the rest is copied, so a run with 300,000 bad rows is never copied whole
/// (the API polls it, the run page shows it page by page).
pub fn job_paged(id: u64, a: &Auth, offset: usize, limit: usize) -> Result<(Job, usize, usize), ApiError> {
    let mut jobs = jobs();
    let j = jobs
        .jobs
        .get_mut(&id)
        .filter(|j| j.user_id == a.user.id || a.actor.may(Action::Administer).is_ok())
        .ok_or_else(|| ApiError::not_found(format!("导入任务 {id} 不存在或已过期")))?;
    let errors = j.outcome.as_mut().map(|o| std::mem::take(&mut o.errors)).unwrap_or_default();
    let mut page = j.clone();
    let total = errors.len();
    let from = offset.min(total);
    let to = from.saturating_add(limit.min(MAX_ERRORS_PAGE)).min(total);
    if let Some(o) = page.outcome.as_mut() {
        o.errors = errors[from..to].to_vec();
    }
    if let Some(o) = j.outcome.as_mut() {
        o.errors = errors;
    }
    Ok((page, total, from))
}

/// A run's status as the API answers it while it is polled: the run with one page of its bad
/// rows, and `errors_total` and `errors_offset` in its outcome.
pub fn job_page(id: u64, a: &Auth, offset: usize, limit: usize) -> Result<serde_json::Value, ApiError> {
    let (j, total, from) = job_paged(id, a, offset, limit)?;
    let mut v = serde_json::to_value(&j).map_err(ApiError::internal)?;
    if let Some(out) = v.get_mut("outcome").and_then(serde_json::Value::as_object_mut) {
        out.insert("errors_total".into(), total.into());
        out.insert("errors_offset".into(), from.into());
    }
    Ok(v)
}

/// Starts applying `parsed` in the background; returns the job's id.
pub fn spawn_job(st: &AppState, a: &Auth, parsed: Arc<Parsed>, file_name: String, dry_run: bool) -> u64 {
    let id = {
        let mut js = jobs();
        let id = js.next;
        js.next += 1;
        // Forget the oldest finished runs (a running one is never dropped).
        while js.jobs.len() >= MAX_JOBS {
            let Some(oldest) = js.jobs.values().find(|j| j.state != "running").map(|j| j.id) else {
                break;
            };
            js.jobs.remove(&oldest);
        }
        js.jobs.insert(
            id,
            Job {
                id,
                kind: parsed.kind,
                kind_label: parsed.kind.label_zh(),
                file_name,
                sheet: parsed.sheet.clone(),
                dry_run,
                state: "running",
                done: 0,
                total: parsed.rows.len(),
                outcome: None,
                error: None,
                user_id: a.user.id,
                parsed: None,
            },
        );
        id
    };
    let store = st.store.clone();
    let ctx = a.audit();
    tokio::spawn(async move {
        let progress = move |done: usize, total: usize| {
            if let Some(j) = jobs().jobs.get_mut(&id) {
                j.done = done;
                j.total = total;
            }
        };
        let result = store.apply_import(&parsed, dry_run, &ctx, &progress).await;
        let mut js = jobs();
        if let Some(j) = js.jobs.get_mut(&id) {
            match result {
                Ok(o) => {
                    j.state = "done";
                    if dry_run && o.errors.is_empty() {
                        j.parsed = Some(parsed.clone());
                    }
                    j.outcome = Some(o);
                }
                Err(e) => {
                    tracing::error!(error = %e, "import failed");
                    j.state = "failed";
                    j.error = Some(format!("导入失败，未写入任何数据：{e}"));
                }
            }
        }
    });
    id
}
