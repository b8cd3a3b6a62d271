//! File downloads: the one way a handler answers with a spreadsheet or a document.

use crate::ApiError;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhantu_domain::table::Table;

/// `Content-Disposition` for a file name with Chinese in it: an ASCII fallback plus the
/// RFC 5987 UTF-8 name that browsers use.
pub fn disposition(filename: &str) -> String {
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", crate::page::qv(filename))
}

/// Any file: bytes, type, name.
pub fn file(filename: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition(filename)),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// Tables as an `.xlsx` workbook, one sheet each.
pub fn xlsx(filename: &str, tables: &[Table]) -> Result<Response, ApiError> {
    let bytes = zhantu_office::write_xlsx(tables).map_err(|e| ApiError::internal(e))?;
    Ok(file(filename, zhantu_office::XLSX_MIME, bytes))
}
