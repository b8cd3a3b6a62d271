//! File downloads: the one way a handler answers with a spreadsheet or a document.

use crate::ApiError;
use crate::page::{Lang, t};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::Store;

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

/// The tables with a last sheet, 数据版本, naming the audit chain's head the data was exported
/// at (the entry's number and hash) and when, in the reader's language: a copy kept outside the
/// system witnesses the log as it stood, as an issued report does (`zhantu audit verify` finds
/// a rewrite before it). An importer reads the first sheet, so an export still imports again.
pub async fn stamped(store: &Store, mut tables: Vec<Table>, lang: Lang) -> Result<Vec<Table>, ApiError> {
    let v = store.data_version().await?;
    let mut stamp = Table::new(
        t(lang, "exports.stamp.sheet"),
        vec![
            Column::new(t(lang, "exports.stamp.item"), ColKind::Text),
            Column::new(t(lang, "exports.stamp.value"), ColKind::Text),
        ],
    );
    let at = zhantu_store::beijing_time(&chrono::Utc::now().to_rfc3339());
    for (k, value) in [
        ("exports.stamp.at", at),
        ("exports.stamp.seq", v.seq.to_string()),
        ("exports.stamp.hash", v.hash),
    ] {
        stamp.push(vec![Cell::Text(t(lang, k).into()), Cell::Text(value)]);
    }
    tables.push(stamp);
    Ok(tables)
}

/// Tables as a workbook to download, with the data-version sheet in the reader's language
/// (written off the async threads): every export of a list or of the figures.
pub async fn stamped_xlsx(store: &Store, lang: Lang, filename: &str, tables: Vec<Table>) -> Result<Response, ApiError> {
    let tables = stamped(store, tables, lang).await?;
    let bytes = tokio::task::spawn_blocking(move || zhantu_office::write_xlsx(&tables))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(file(filename, zhantu_office::XLSX_MIME, bytes))
}
