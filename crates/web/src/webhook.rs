//! The outgoing webhook of the daily digest, in the message format of WeCom (企业微信) and
//! DingTalk (钉钉) group robots. The administrator sets the robot's URL and kind
//! (`PUT /api/v1/settings/webhook`); without a URL nothing is sent.
//!
//! The digest stays Chinese whatever language a reader chose in the app: the robot posts to
//! the district's group chat (a Chinese 企业微信/钉钉 group), not to one reader, and the
//! district has no language setting of its own.

use serde_json::{Value, json};
use zhantu_store::{LightsRun, RemindersRun, Store, StoreError};

/// The robot message for a digest: markdown, which both robots render.
pub fn message(kind: &str, title: &str, text: &str) -> Value {
    match kind {
        "dingtalk" => json!({ "msgtype": "markdown", "markdown": { "title": title, "text": format!("### {title}\n\n{text}") } }),
        _ => json!({ "msgtype": "markdown", "markdown": { "content": format!("**{title}**\n{text}") } }),
    }
}

/// The digest text of a lights run.
pub fn digest(run: &LightsRun) -> (String, String) {
    let title = format!("重大项目亮灯日报（{}）", run.as_of);
    let mut text = format!(
        "> 红灯 <font color=\"warning\">{}</font> 个，黄灯 {} 个，绿灯 {} 个（共 {} 个项目）\n",
        run.red, run.yellow, run.green, run.projects
    );
    if run.new_reds.is_empty() {
        text.push_str("\n今日无新增红灯项目。");
    } else {
        text.push_str(&format!("\n新增红灯 {} 个：\n", run.new_reds.len()));
        for r in run.new_reds.iter().take(15) {
            text.push_str(&format!("- {}：{}\n", r.name, r.reason.trim_start_matches("红灯：")));
        }
        if run.new_reds.len() > 15 {
            text.push_str(&format!("- ……另有 {} 个，请登录战图查看\n", run.new_reds.len() - 15));
        }
    }
    (title, text)
}

/// The robot message of a reminders run (临期提醒): what falls due within three working days.
pub fn reminders_digest(run: &RemindersRun) -> (String, String) {
    let as_of = run.as_of.map(|d| d.to_string()).unwrap_or_default();
    let title = format!("临期提醒（{as_of}）");
    let mut text = format!("> 3个工作日内到期：节点 {} 个，进度填报 {} 项\n\n", run.nodes, run.reports);
    for line in run.lines.iter().take(20) {
        text.push_str(&format!("- {line}\n"));
    }
    if run.lines.len() > 20 {
        text.push_str(&format!("- ……另有 {} 项，请登录战图查看“我的待办”\n", run.lines.len() - 20));
    }
    (title, text)
}

/// Sends the digest if a robot is configured. Returns whether a message went out; a robot
/// that cannot be reached is an error for the caller to log, never a reason to fail the job.
pub async fn send_digest(store: &Store, run: &LightsRun) -> Result<bool, String> {
    let (title, text) = digest(run);
    send(store, &title, &text).await
}

/// Sends the reminders of a run to the robot, if one is configured and the run reminded of
/// anything new.
pub async fn send_reminders(store: &Store, run: &RemindersRun) -> Result<bool, String> {
    if run.lines.is_empty() {
        return Ok(false);
    }
    let (title, text) = reminders_digest(run);
    send(store, &title, &text).await
}

async fn send(store: &Store, title: &str, text: &str) -> Result<bool, String> {
    let url = store.setting("webhook_url").await.map_err(|e: StoreError| e.to_string())?;
    let Some(url) = url.filter(|u| !u.is_empty()) else {
        return Ok(false);
    };
    let kind = store
        .setting("webhook_kind")
        .await
        .map_err(|e| e.to_string())?
        .unwrap_or_else(|| "wecom".into());
    let resp = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?
        .post(&url)
        .json(&message(&kind, title, text))
        .send()
        .await
        .map_err(|e| format!("推送失败：{e}"))?;
    if !resp.status().is_success() {
        return Err(format!("推送失败：机器人返回 {}", resp.status()));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_robot_formats() {
        let w = message("wecom", "标题", "正文");
        assert_eq!(w["msgtype"], "markdown");
        assert!(w["markdown"]["content"].as_str().unwrap().contains("**标题**"));
        let d = message("dingtalk", "标题", "正文");
        assert_eq!(d["markdown"]["title"], "标题");
        assert!(d["markdown"]["text"].as_str().unwrap().starts_with("### 标题"));
    }
}
