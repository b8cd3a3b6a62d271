//! The one scope check of the ids a write request names: every field of its body (JSON or
//! form, at any depth) and every named path segment whose name says it is a record's id
//! (`project_id`, `node_ids`, `{project_id}`…) is looked up and checked against the actor's
//! unit scope before any handler runs, so a new route cannot forget it. The rule is the
//! domain's ([`Actor::may_name`]); the owners come from the store. A leaf: it imports no
//! mechanism.
//!
//! Multipart bodies (evidence files, imports) are not read here: their routes take their
//! record from the path, and the check of the path's `{id}` is the handler's.

use crate::AppState;
use crate::error::ApiError;
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request};
use axum::http::header;
use serde_json::Value;
use std::collections::BTreeSet;
use zhantu_domain::access::{Actor, RefKind};

/// More distinct record ids than this in one request is refused (each costs a query).
pub const MAX_REFS: usize = 500;

/// Fields that name a unit a request *addresses* rather than a record it changes: a problem's
/// responsible unit (交办). A unit's staff who find a problem on their own project, node or
/// enterprise visit hand it to the unit that must solve it, any unit of the district; the
/// handler's rule still asks that the problem come from within their scope. Each is
/// `(method, route, field)`, the field as a path in the body (`problems[].unit_id`).
pub const ADDRESSEES: &[(&str, &str, &str)] = &[
    ("POST", "/api/v1/problems", "unit_id"),
    ("POST", "/problems", "unit_id"),
    ("POST", "/api/v1/visits", "problems[].unit_id"),
    ("POST", "/enterprises/{id}/visits", "unit_id"),
];

/// Checks the ids the request names: each must be a record (404 `unknown_record` otherwise,
/// for every role, rather than a foreign-key failure deep in a write) within the actor's scope
/// (403 `out_of_scope`). Gives the request back, its body restored.
pub async fn check(st: &AppState, actor: &Actor, req: Request) -> Result<Request, ApiError> {
    let (mut parts, body) = req.into_parts();
    let route = parts
        .extensions
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let mut refs = Refs {
        addressees: ADDRESSEES
            .iter()
            .filter(|(m, r, _)| *m == parts.method.as_str() && *r == route)
            .map(|(_, _, f)| *f)
            .collect(),
        ..Refs::default()
    };
    if let Ok(params) = RawPathParams::from_request_parts(&mut parts, &()).await {
        for (name, value) in &params {
            refs.field(name, name, &Value::String(value.to_string()))?;
        }
    }
    if let Some(q) = parts.uri.query()
        && let Ok(fields) = serde_urlencoded::from_str::<Vec<(String, String)>>(q)
    {
        for (name, value) in &fields {
            refs.field(name, name, &Value::String(value.clone()))?;
        }
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    // What the handlers' JSON extractor takes: `application/json` and any `application/…+json`.
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let is_json = essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let body = if is_json || is_form {
        let bytes = to_bytes(body, crate::guard::body_limit(parts.uri.path()))
            .await
            .map_err(|_| ApiError::too_large())?;
        if is_json {
            // A body that is not JSON is the handler's to refuse, with its own message.
            if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
                refs.walk(&v, "", 0)?;
            }
        } else if let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) {
            for (name, value) in &fields {
                refs.field(name, name, &Value::String(value.clone()))?;
            }
        }
        Body::from(bytes)
    } else {
        body
    };
    for (kind, id) in refs.named {
        match st.store.owner(kind, id).await? {
            None => {
                return Err(ApiError::not_found(format!("编号为 {id} 的{}不存在", kind.label_zh())).with_code("unknown_record"));
            }
            Some(owner) => actor
                .may_name(kind, &owner)
                .map_err(|d| ApiError::from(d).with_code("out_of_scope"))?,
        }
    }
    for id in refs.addressed {
        if st.store.owner(RefKind::Unit, id).await?.is_none() {
            return Err(ApiError::not_found(format!("编号为 {id} 的单位不存在")).with_code("unknown_record"));
        }
    }
    Ok(Request::from_parts(parts, body))
}

/// The distinct (kind, id) pairs a request names.
#[derive(Default)]
struct Refs {
    named: BTreeSet<(RefKind, i64)>,
    /// The route's addressee fields: named units that need only exist.
    addressees: Vec<&'static str>,
    addressed: BTreeSet<i64>,
}

impl Refs {
    /// Every field of a JSON body at any depth; `at` is where `v` stands (`problems[]`).
    fn walk(&mut self, v: &Value, at: &str, depth: usize) -> Result<(), ApiError> {
        if depth > 16 {
            return Err(ApiError::bad_request("invalid_body", "请求内容嵌套过深"));
        }
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                    self.field(k, &path, v)?;
                    if v.is_object() || v.is_array() {
                        self.walk(v, &path, depth + 1)?;
                    }
                }
            }
            Value::Array(items) => {
                let path = format!("{at}[]");
                for v in items {
                    self.walk(v, &path, depth + 1)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// One field named `name`, at `path` in the body.
    fn field(&mut self, name: &str, path: &str, value: &Value) -> Result<(), ApiError> {
        let kind = match RefKind::of_field(name) {
            Some(Some(kind)) => kind,
            Some(None) => return Ok(()),
            None if is_blank(value) => return Ok(()),
            None => {
                return Err(ApiError::bad_request(
                    "unknown_reference",
                    format!("字段 {name} 不是系统认识的记录编号，不能提交"),
                ));
            }
        };
        let ids: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            v => vec![v],
        };
        for v in ids {
            // What is not an id (text, a negative number) is the handler's to refuse.
            let id = match v {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse::<i64>().ok(),
                _ => None,
            };
            if let Some(id) = id.filter(|id| *id > 0) {
                if kind == RefKind::Unit && self.addressees.contains(&path) {
                    self.addressed.insert(id);
                } else {
                    self.named.insert((kind, id));
                }
                if self.named.len() + self.addressed.len() > MAX_REFS {
                    return Err(ApiError::bad_request(
                        "too_many_references",
                        format!("一次请求最多引用{MAX_REFS}条记录"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
