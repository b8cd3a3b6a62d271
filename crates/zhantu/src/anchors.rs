//! Audit anchors: the audit chain's head (how many entries, the hash of the last) appended to
//! a file outside the database, each line sealed with an HMAC-SHA256 under a key that is also
//! kept outside it. The hash chain alone shows an edit only to someone who has not recomputed
//! it; whoever can write the database can rewrite an entry and every hash after it, or drop
//! the last entries and lower the count. An anchor written before that no longer matches:
//! `zhantu audit verify --anchors FILE` says where.
//!
//! The server appends an anchor every 30 seconds while the log grows, and at shutdown. Keep the
//! file append-only for the zhantu user (`chattr +a`) and the key readable by it alone; see
//! docs/DEPLOY.md.

use crate::commands::CliError;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};
use zhantu_store::Store;

/// Where anchors go and the key that seals them.
#[derive(Clone)]
pub struct Anchors {
    path: PathBuf,
    key: Vec<u8>,
}

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub entries: u64,
    pub hash: String,
    pub at: String,
}

/// HMAC-SHA256 (RFC 2104) as lowercase hex.
fn hmac(key: &[u8], message: &[u8]) -> String {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    let outer = Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

fn line_mac(key: &[u8], entries: u64, hash: &str, at: &str) -> String {
    hmac(key, format!("zhantu-audit-anchor|{entries}|{hash}|{at}").as_bytes())
}

impl Anchors {
    /// The anchors file and its key; the key file is made (random, readable by this user
    /// alone) when it does not exist yet.
    pub fn open(path: &Path, key_path: &Path) -> Result<Anchors, CliError> {
        if !key_path.exists() {
            if let Some(dir) = key_path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| CliError(format!("无法创建目录 {}：{e}", dir.display())))?;
            }
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts
                .open(key_path)
                .map_err(|e| CliError(format!("无法创建审计锚点密钥 {}：{e}", key_path.display())))?;
            writeln!(f, "{}", zhantu_web::auth::random_token())
                .map_err(|e| CliError(format!("无法写入审计锚点密钥 {}：{e}", key_path.display())))?;
        }
        let key = std::fs::read_to_string(key_path)
            .map_err(|e| CliError(format!("无法读取审计锚点密钥 {}：{e}", key_path.display())))?
            .trim()
            .as_bytes()
            .to_vec();
        if key.len() < 32 {
            return Err(CliError(format!("审计锚点密钥 {} 太短（至少32个字符）", key_path.display())));
        }
        Ok(Anchors {
            path: path.to_path_buf(),
            key,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the head, sealed; the file is opened for appending only.
    pub fn append(&self, entries: u64, hash: &str) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let mac = line_mac(&self.key, entries, hash, &at);
        let mut f = std::fs::OpenOptions::new().append(true).create(true).open(&self.path)?;
        writeln!(f, "{entries} {hash} {at} {mac}")?;
        f.sync_data()
    }

    /// Every anchor in the file, each line's seal checked: a line changed or added without
    /// the key is an error naming its line.
    pub fn read(&self) -> Result<Vec<Anchor>, CliError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(CliError(format!("无法读取审计锚点文件 {}：{e}", self.path.display()))),
        };
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let bad = || CliError(format!("审计锚点文件第{}行无效或被改动（密钥签名不符）", i + 1));
            let parts: Vec<&str> = line.split_whitespace().collect();
            let [entries, hash, at, mac] = parts[..] else {
                return Err(bad());
            };
            let entries: u64 = entries.parse().map_err(|_| bad())?;
            if line_mac(&self.key, entries, hash, at) != mac {
                return Err(bad());
            }
            out.push(Anchor {
                entries,
                hash: hash.to_string(),
                at: at.to_string(),
            });
        }
        Ok(out)
    }
}

/// Appends an anchor whenever the log has grown, every `every` until the process ends.
pub async fn keep(store: Store, anchors: Anchors, every: std::time::Duration) {
    let mut last = None;
    loop {
        anchor_now(&store, &anchors, &mut last).await;
        tokio::time::sleep(every).await;
    }
}

/// One anchor now, unless the head is the one last written.
pub async fn anchor_now(store: &Store, anchors: &Anchors, last: &mut Option<u64>) {
    match store.audit_head().await {
        Ok((n, hash)) if *last != Some(n) => match anchors.append(n, &hash) {
            Ok(()) => *last = Some(n),
            Err(e) => tracing::error!(error = %e, path = %anchors.path().display(), "could not write the audit anchor"),
        },
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not read the audit head"),
    }
}

/// Checks the log against every anchor: each anchored entry must still have its hash, and the
/// log must hold at least as many entries as the last anchor says it had.
pub async fn verify(store: &Store, anchors: &Anchors) -> Result<usize, CliError> {
    let list = anchors.read()?;
    let (now, _) = store.audit_head().await?;
    for a in &list {
        if a.entries > now {
            return Err(CliError(format!(
                "审计日志被截短：锚点（{}）记录日志曾有{}条记录，现在只有{now}条",
                a.at, a.entries
            )));
        }
        if let Err(b) = store.verify_audit_anchor(a.entries, &a.hash).await? {
            return Err(CliError(format!("审计日志被篡改：{}（锚点时间 {}）", b.reason, a.at)));
        }
    }
    Ok(list.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_changed_line_is_refused() {
        let dir = std::env::temp_dir().join(format!("zhantu-anchors-{}", std::process::id()));
        let a = Anchors::open(&dir.join("anchors.log"), &dir.join("anchors.key")).unwrap();
        a.append(3, "abc").unwrap();
        a.append(5, "def").unwrap();
        assert_eq!(a.read().unwrap().len(), 2);
        let text = std::fs::read_to_string(a.path()).unwrap().replacen("5 def", "4 def", 1);
        std::fs::write(a.path(), text).unwrap();
        assert!(a.read().unwrap_err().0.contains("第2行"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
