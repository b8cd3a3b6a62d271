//! The edges of a JSON route: extractors whose rejections are `ApiError`s (JSON, Chinese)
//! instead of axum's plain text, and the answer to a request that made a record.

use crate::error::ApiError;
use axum::Json;
use axum::extract::multipart::Field;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The answer to a request that made a record: `201 Created` with the record (or its id) as JSON.
pub type Created<T = Value> = (StatusCode, Json<T>);

pub fn created<T>(body: T) -> Created<T> {
    (StatusCode::CREATED, Json(body))
}

/// Query string parameters; a malformed query string is a 400 with a Chinese message.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|e| ApiError::bad_request("invalid_query", format!("查询参数无效：{}", e.body_text())))
    }
}

/// A `multipart/form-data` upload, opened once the handler has checked access (not an
/// extractor, so that no byte is read before); every refusal is a 400 in Chinese.
pub struct Upload(Multipart);

impl Upload {
    /// Opens the upload; `fields` names what the route takes, for the refusal of any other body.
    pub async fn open(req: Request, fields: &str) -> Result<Upload, ApiError> {
        Multipart::from_request(req, &())
            .await
            .map(Upload)
            .map_err(|_| ApiError::bad_request("invalid_body", format!("请以 multipart/form-data 上传：{fields}")))
    }

    /// The next field, `None` after the last.
    pub async fn next_field(&mut self) -> Result<Option<Field<'_>>, ApiError> {
        self.0
            .next_field()
            .await
            .map_err(|e| ApiError::bad_request("invalid_body", format!("上传内容无效：{e}")))
    }
}

/// A numeric record id in the path; anything else is "not found".
pub struct IdPath(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(s) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found("记录不存在"))?;
        s.parse::<i64>().map(IdPath).map_err(|_| ApiError::not_found("记录不存在"))
    }
}

/// Reads an optional numeric query parameter with a Chinese error naming it.
pub fn opt_id(value: &Option<String>, what: &'static str) -> Result<Option<i64>, ApiError> {
    match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::bad_request("invalid_parameter", format!("{what}“{s}”无效：应为数字编号"))),
    }
}

/// Empty strings (an empty form field) count as absent.
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A yes/no query parameter (`?all=1`): on when given, not empty and not `0`.
pub fn query_flag(value: &Option<String>) -> bool {
    non_empty(value).is_some_and(|v| v != "0")
}

/// A page size from the query string: 1 to 5000, `default` when absent.
pub fn page_limit(value: &Option<String>, default: i64) -> Result<i64, ApiError> {
    match non_empty(value) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=5000).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("每页条数“{s}”无效：应为1到5000之间的整数"),
            )),
        },
    }
}

/// Where a page starts, from the query string (0 when absent).
pub fn page_offset(value: &Option<String>) -> Result<i64, ApiError> {
    Ok(opt_id(value, "起始位置")?.unwrap_or(0).max(0))
}

/// An optional date from the query string.
pub fn opt_date(value: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    Ok(non_empty(value).map(zhantu_domain::parse_date).transpose()?)
}

/// For a body field that may be absent (keep the value), `null` (clear it) or a value:
/// `#[serde(default, deserialize_with = "present")] field: Option<Option<T>>`.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
