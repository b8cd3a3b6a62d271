//! The audit log in words, for the audit page and the project page's history: an action's
//! code (`node.verify`) as a phrase, who did it (`system:demo` as "System (demo)"), and the
//! stored before/after JSON as the fields that changed, `field: old → new`, each field named in
//! words (`planned_on` as "Planned date": `audit.field.*`, one per key the store's audit entries
//! hold); a key without words is shown as it is, as code.

use super::{Lang, Markup, i18n};
use askama::Template;
use serde_json::Value;

/// An action's code in words: its own words, else those of its kind of record (`problem.assign`
/// as "Worked on a problem"), else the code itself.
pub fn action_label(lang: Lang, code: &str) -> String {
    let kind = code.split_once('.').map_or(code, |(kind, _)| kind);
    i18n::lookup(lang, &format!("audit.action.{code}"))
        .or_else(|| i18n::lookup(lang, &format!("audit.action.{kind}")))
        .unwrap_or(code)
        .to_string()
}

/// A kind of record (`node`) in words; the code itself when there is no translation.
pub fn entity_label(lang: Lang, code: &str) -> String {
    i18n::lookup(lang, &format!("audit.entity.{code}")).unwrap_or(code).to_string()
}

/// Who did it: a user's name as it is, a system job (`system:demo`) as "System (demo)".
pub fn actor_label(lang: Lang, actor: &str) -> String {
    match actor.strip_prefix("system:") {
        Some(job) => match lang {
            Lang::Zh => format!("{}（{job}）", i18n::t(lang, "audit.system")),
            Lang::En => format!("{} ({job})", i18n::t(lang, "audit.system")),
        },
        None => actor.to_string(),
    }
}

/// One changed field: its name, the value before and after ("" when absent).
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn plain(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// The fields that differ between the stored before and after (objects compared key by key,
/// in the order of their keys; any other value as one change named "").
pub fn changes(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    match (before, after) {
        (Some(Value::Object(_)) | None, Some(Value::Object(_)) | None) => {
            let b = before.and_then(Value::as_object).unwrap_or(&empty);
            let a = after.and_then(Value::as_object).unwrap_or(&empty);
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .filter(|k| b.get(*k) != a.get(*k))
                .map(|k| FieldChange {
                    field: k.clone(),
                    before: plain(b.get(k)),
                    after: plain(a.get(k)),
                })
                .collect()
        }
        _ => vec![FieldChange {
            field: String::new(),
            before: plain(before),
            after: plain(after),
        }],
    }
}

/// A field of the stored JSON (`planned_on`) in words; `None` for a key without them.
pub fn field_label(lang: Lang, key: &str) -> Option<&'static str> {
    i18n::lookup(lang, &format!("audit.field.{key}"))
}

#[derive(Template)]
#[template(path = "partials/changes.html")]
struct Changes {
    /// Each change with its field in words, where it has them.
    changes: Vec<(FieldChange, Option<&'static str>)>,
}

/// The fields an entry changed, as a list (`field: old → new`, the field in the reader's
/// words, values marked as data).
pub fn changes_markup(lang: Lang, before: Option<&Value>, after: Option<&Value>) -> Markup {
    Markup::of(&Changes {
        changes: changes(before, after)
            .into_iter()
            .map(|c| {
                let label = field_label(lang, &c.field);
                (c, label)
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn actions_and_changes_in_words() {
        assert_eq!(action_label(Lang::En, "node.verify"), "Verified a node's close-out");
        assert_eq!(action_label(Lang::Zh, "node.verify"), "核验节点完成");
        assert_eq!(action_label(Lang::En, "no.such"), "no.such");
        assert_eq!(action_label(Lang::En, "import.units"), "Imported data");
        assert_eq!(actor_label(Lang::En, "system:demo"), "System (demo)");
        assert_eq!(actor_label(Lang::En, "fgj"), "fgj");
        let c = changes(
            Some(&json!({"status": "planned", "v": 1, "same": 2})),
            Some(&json!({"status": "done", "v": 2, "same": 2})),
        );
        let seen: Vec<_> = c.iter().map(|c| (c.field.as_str(), c.before.as_str(), c.after.as_str())).collect();
        assert_eq!(seen, [("status", "planned", "done"), ("v", "1", "2")]);
        assert_eq!(changes(None, Some(&json!({"name": "x"})))[0].before, "");
        assert_eq!(field_label(Lang::En, "planned_on"), Some("Planned date"));
        assert_eq!(field_label(Lang::Zh, "unit_id"), Some("单位"));
        assert_eq!(field_label(Lang::En, "no_such_key"), None);
        let html = changes_markup(
            Lang::En,
            Some(&json!({"planned_on": "2019-01-01"})),
            Some(&json!({"planned_on": "2019-02-01", "odd_key": 1})),
        );
        assert!(html.to_string().contains("data-field=\"planned_on\">Planned date</span>"), "{html}");
        assert!(html.to_string().contains("<code>odd_key</code>"), "{html}");
    }
}
