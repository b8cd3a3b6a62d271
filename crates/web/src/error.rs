//! One error type for every handler: a stable machine code and a Chinese message in JSON;
//! the full cause goes to the log, never to the client.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use zhantu_domain::{FieldErrors, ParseError};
use zhantu_store::StoreError;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Each refused field of an `invalid_fields` refusal (empty otherwise), kept so a page
    /// can say each one in the reader's language (`page::refusal`).
    pub fields: FieldErrors,
}

impl ApiError {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            fields: FieldErrors::default(),
        }
    }
    /// Well-formed but against a rule of the domain (e.g. an overlapping span): 422.
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            message: message.into(),
            fields: FieldErrors::default(),
        }
    }
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
            fields: FieldErrors::default(),
        }
    }
    pub fn with_code(mut self, code: &'static str) -> ApiError {
        self.code = code;
        self
    }
    pub fn too_large() -> ApiError {
        ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: "提交的内容过大".into(),
            fields: FieldErrors::default(),
        }
    }
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::CONFLICT,
            code,
            message: message.into(),
            fields: FieldErrors::default(),
        }
    }
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "请先登录".into(),
            fields: FieldErrors::default(),
        }
    }
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
            fields: FieldErrors::default(),
        }
    }
    /// Text holding a NUL character (U+0000): no person types one, and PostgreSQL cannot
    /// store it. `guard` refuses it in paths, queries and bodies; uploads' fields here.
    pub fn nul_in_text() -> ApiError {
        ApiError::bad_request("nul_in_text", "内容中含有空字符（U+0000），请删除后重试")
    }
    /// Logged in full; the client sees a short message.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(%detail, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "服务器内部错误，请稍后重试或联系管理员".into(),
            fields: FieldErrors::default(),
        }
    }
}

impl From<zhantu_domain::access::Denied> for ApiError {
    fn from(d: zhantu_domain::access::Denied) -> ApiError {
        ApiError::forbidden(d.0)
    }
}

/// A refused rule of the domain: 400 with the rule's own code.
impl From<zhantu_domain::RuleError> for ApiError {
    fn from(e: zhantu_domain::RuleError) -> ApiError {
        ApiError::bad_request(e.code, e.message)
    }
}

impl From<ParseError> for ApiError {
    fn from(e: ParseError) -> ApiError {
        ApiError::bad_request(e.code, e.to_string())
    }
}

/// A store answer in which an absent record is a 404 whose message names it (`missing`), not
/// the generic "记录不存在"; any other error converts as usual.
pub trait OrNotFound<T> {
    fn or_not_found(self, missing: impl Into<String>) -> Result<T, ApiError>;
}

impl<T> OrNotFound<T> for Result<T, StoreError> {
    fn or_not_found(self, missing: impl Into<String>) -> Result<T, ApiError> {
        match self {
            Err(StoreError::NotFound) => Err(ApiError::not_found(missing)),
            other => Ok(other?),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::not_found("记录不存在"),
            e @ StoreError::Conflict { .. } => ApiError {
                status: StatusCode::CONFLICT,
                code: "stale_version",
                message: e.to_string(),
                fields: FieldErrors::default(),
            },
            StoreError::Duplicate(m) => ApiError {
                status: StatusCode::CONFLICT,
                code: "duplicate",
                message: m,
                fields: FieldErrors::default(),
            },
            StoreError::MissingReference(m) => ApiError {
                status: StatusCode::CONFLICT,
                code: "missing_reference",
                message: m,
                fields: FieldErrors::default(),
            },
            StoreError::Rule(e) => ApiError::bad_request(e.code, e.message),
            StoreError::Invalid(e) => e.into(),
            StoreError::Span(e) => ApiError::unprocessable(e.code(), e.to_string()),
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({ "error": { "code": self.code, "message": self.message } })),
        )
            .into_response()
    }
}

/// Every refused field: 400 `invalid_fields`, all the messages in one, each field kept.
impl From<FieldErrors> for ApiError {
    fn from(f: FieldErrors) -> ApiError {
        ApiError {
            message: f.summary(),
            fields: f,
            ..ApiError::bad_request(INVALID_FIELDS, "")
        }
    }
}

/// A form's refusal for a page that says it as one message (`page::back`), its fields kept.
impl From<FormError> for ApiError {
    fn from(e: FormError) -> ApiError {
        match e {
            FormError::Api(e) => e,
            FormError::Fields(f) => f.into(),
        }
    }
}

/// The code of a refusal that names every bad field of a form at once.
pub const INVALID_FIELDS: &str = "invalid_fields";

/// The refusal of a form or body whose every field is checked: 400 `invalid_fields` with
/// each field's refusal in `fields` (`[{field, code, message}]`) and all of them in `message`;
/// or any other refusal, as an [`ApiError`].
#[derive(Debug)]
pub enum FormError {
    Api(ApiError),
    Fields(FieldErrors),
}

impl From<ApiError> for FormError {
    fn from(e: ApiError) -> FormError {
        FormError::Api(e)
    }
}

impl From<zhantu_domain::access::Denied> for FormError {
    fn from(d: zhantu_domain::access::Denied) -> FormError {
        FormError::Api(d.into())
    }
}

impl From<ParseError> for FormError {
    fn from(e: ParseError) -> FormError {
        FormError::Api(e.into())
    }
}

impl From<FieldErrors> for FormError {
    fn from(f: FieldErrors) -> FormError {
        FormError::Fields(f)
    }
}

/// The store's refusal, its fields kept.
impl From<StoreError> for FormError {
    fn from(e: StoreError) -> FormError {
        match e {
            StoreError::Invalid(f) => FormError::Fields(f),
            e => FormError::Api(e.into()),
        }
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        match self {
            FormError::Api(e) => e.into_response(),
            FormError::Fields(f) => (
                StatusCode::BAD_REQUEST,
                Json(json!({ "error": { "code": INVALID_FIELDS, "message": f.summary(), "fields": f } })),
            )
                .into_response(),
        }
    }
}

pub async fn not_found() -> ApiError {
    ApiError::not_found("没有这个页面或接口")
}
