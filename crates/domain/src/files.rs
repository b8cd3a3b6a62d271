//! What an uploaded file really is, judged by its bytes, never by its name. Every upload
//! path (close-out evidence, spreadsheet imports) asks `sniff` and refuses what it is not.

/// The kinds of file zhantu accepts anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Pdf,
    /// An Office Open XML package (.xlsx/.docx): a ZIP whose first entry is `[Content_Types].xml`
    /// or that contains it.
    OfficeZip,
    /// UTF-8 (or UTF-8 with BOM) text without control characters: CSV.
    Utf8Text,
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Pdf => "application/pdf",
            FileKind::OfficeZip => "application/vnd.openxmlformats-officedocument",
            FileKind::Utf8Text => "text/plain; charset=utf-8",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            FileKind::Png => "PNG图片",
            FileKind::Jpeg => "JPEG图片",
            FileKind::Pdf => "PDF文件",
            FileKind::OfficeZip => "Office文档",
            FileKind::Utf8Text => "文本文件",
        }
    }
}

/// Identifies a file by its leading bytes.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let head = &bytes[..bytes.len().min(64 * 1024)];
        return head.windows(19).any(|w| w == b"[Content_Types].xml").then_some(FileKind::OfficeZip);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(s) if !s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) => Some(FileKind::Utf8Text),
        _ => None,
    }
}

/// Refuses a file that is not one of `allowed`, with a Chinese reason.
pub fn require(bytes: &[u8], allowed: &[FileKind]) -> Result<FileKind, crate::ParseError> {
    match sniff(bytes) {
        Some(k) if allowed.contains(&k) => Ok(k),
        found => {
            let want: Vec<&str> = allowed.iter().map(|k| k.label_zh()).collect();
            let got = found.map(|k| k.label_zh()).unwrap_or("无法识别的格式");
            Err(crate::ParseError::new(
                "invalid_file",
                "上传文件",
                got,
                format!("只接受{}，按内容识别为{}", want.join("、"), got),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"PK\x03\x04....[Content_Types].xml"), Some(FileKind::OfficeZip));
        assert_eq!(sniff(b"PK\x03\x04 just a zip"), None);
        assert_eq!(sniff("项目名称,总投资\n星星冷链,100\n".as_bytes()), Some(FileKind::Utf8Text));
        assert_eq!(sniff(b"MZ\x90\x00\x03"), None, "an executable renamed to .png");
        let e = require(b"MZ\x90\x00", &[FileKind::Png, FileKind::Jpeg, FileKind::Pdf]).unwrap_err();
        assert!(e.reason.contains("只接受PNG图片、JPEG图片、PDF文件"), "{e}");
    }
}
