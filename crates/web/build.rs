//! Finds the string files in `i18n/` and the page sources (`src/**/*.rs`, `templates/**`), so
//! a mechanism's strings and templates are picked up by being there: nothing to register.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files_under(dir: &Path, ext: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, ext, out);
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| ext.contains(&e)) {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut code = String::new();

    // i18n/<area>.zh-CN.json with its i18n/<area>.en.json (core: zh-CN.json and en.json).
    let mut json = Vec::new();
    files_under(&root.join("i18n"), &["json"], &mut json);
    code.push_str("/// (area, zh-CN text, en text) of every string file in `i18n/`.\npub const FILES: &[(&str, &str, &str)] = &[\n");
    for zh in json.iter().filter(|p| p.to_string_lossy().ends_with("zh-CN.json")) {
        let name = zh.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let area = name.trim_end_matches("zh-CN.json").trim_end_matches('.');
        let area = if area.is_empty() { "core" } else { area };
        let en = zh.with_file_name(if area == "core" {
            "en.json".to_string()
        } else {
            format!("{area}.en.json")
        });
        assert!(en.exists(), "i18n/{name} has no English twin {}", en.display());
        writeln!(
            code,
            "    ({area:?}, include_str!({:?}), include_str!({:?})),",
            zh.display(),
            en.display()
        )
        .unwrap();
    }
    code.push_str("];\n");

    // Every page source, for the test that each key used in the code exists.
    let mut sources = Vec::new();
    files_under(&root.join("src"), &["rs"], &mut sources);
    files_under(&root.join("templates"), &["html", "svg", "txt"], &mut sources);
    code.push_str("/// (path, text) of every source and template, for the translation tests.\n#[cfg(test)]\npub const SOURCES: &[(&str, &str)] = &[\n");
    for s in &sources {
        let rel = s.strip_prefix(&root).unwrap_or(s);
        writeln!(code, "    ({:?}, include_str!({:?})),", rel.display().to_string(), s.display()).unwrap();
    }
    code.push_str("];\n");

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
    println!("cargo:rerun-if-changed=i18n");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=templates");
}
