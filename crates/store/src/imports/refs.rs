//! The records an import's rows name (units, people, project types, categories, projects,
//! enterprises), looked up once per import, and the check of every value a file names before
//! anything is written: a row's unknown unit is reported with its other errors.

use super::effective_external;
use crate::StoreError;
use crate::row::{i64_, opt_text, text};
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};
use zhantu_domain::imports::{Parsed, ProjectKey, RefKind, RowError};

/// Projects by code and by (effective) external id.
#[derive(Default)]
pub(super) struct ProjectIndex {
    pub(super) by_code: HashMap<String, i64>,
    pub(super) by_external: HashMap<String, i64>,
}

impl ProjectIndex {
    pub(super) async fn load(conn: &mut AnyConnection) -> Result<ProjectIndex, StoreError> {
        let mut ix = ProjectIndex::default();
        for r in sqlx::query("SELECT id, code, external_id FROM projects")
            .fetch_all(&mut *conn)
            .await?
        {
            let id = i64_(&r, "id")?;
            let code = opt_text(&r, "code")?;
            if let Some(e) = effective_external(id, &code, opt_text(&r, "external_id")?) {
                ix.by_external.insert(e, id);
            }
            if let Some(c) = code {
                ix.by_code.insert(c, id);
            }
        }
        Ok(ix)
    }
    pub(super) fn find(&self, key: &ProjectKey) -> Option<i64> {
        match key {
            ProjectKey::Code(c) => self.by_code.get(c.as_str()).copied(),
            ProjectKey::External(e) => self.by_external.get(e).copied(),
        }
    }
}

/// Names → ids of what an import's rows may name.
pub(super) struct Refs {
    units: HashMap<String, i64>,
    people: HashMap<String, i64>,
    /// People by name and unit.
    people_in: HashMap<(String, i64), i64>,
    /// Project types by name, by code, and by name without its 项目 suffix (商贸文旅).
    types: HashMap<String, String>,
    categories: HashMap<String, i64>,
    pub(super) projects: ProjectIndex,
    enterprises: HashMap<String, i64>,
}

async fn names(conn: &mut AnyConnection, sql: &str) -> Result<HashMap<String, i64>, StoreError> {
    let mut out = HashMap::new();
    for r in sqlx::query(sql).fetch_all(&mut *conn).await? {
        out.entry(text(&r, "name")?).or_insert(i64_(&r, "id")?);
    }
    Ok(out)
}

impl Refs {
    /// Loads what the import may name; projects and enterprises only when its rows name them.
    pub(super) async fn load(c: &mut AnyConnection, p: &Parsed) -> Result<Refs, StoreError> {
        let named = |kinds: &[RefKind]| p.references.iter().any(|r| kinds.contains(&r.kind));
        let mut types = HashMap::new();
        for r in sqlx::query("SELECT code, name FROM project_types ORDER BY code")
            .fetch_all(&mut *c)
            .await?
        {
            let (code, name) = (text(&r, "code")?, text(&r, "name")?);
            if let Some(short) = name.strip_suffix("项目").filter(|s| !s.is_empty()) {
                types.entry(short.to_string()).or_insert(code.clone());
            }
            types.insert(name, code.clone());
            types.insert(code.clone(), code);
        }
        let mut people_in = HashMap::new();
        for r in sqlx::query("SELECT id, name, unit_id FROM people WHERE active = 1 ORDER BY id")
            .fetch_all(&mut *c)
            .await?
        {
            people_in
                .entry((text(&r, "name")?, i64_(&r, "unit_id")?))
                .or_insert(i64_(&r, "id")?);
        }
        let mut categories = names(c, "SELECT id, name FROM categories ORDER BY id").await?;
        for r in sqlx::query("SELECT id, code FROM categories").fetch_all(&mut *c).await? {
            categories.insert(text(&r, "code")?, i64_(&r, "id")?);
        }
        Ok(Refs {
            units: names(c, "SELECT id, name FROM units WHERE active = 1 ORDER BY id").await?,
            // Where two people share a name, the name stands for the leader.
            people: names(c, "SELECT id, name FROM people WHERE active = 1 ORDER BY is_leader DESC, id").await?,
            people_in,
            types,
            categories,
            projects: if named(&[RefKind::ProjectCode, RefKind::ProjectExternal]) {
                ProjectIndex::load(c).await?
            } else {
                ProjectIndex::default()
            },
            enterprises: if named(&[RefKind::Enterprise]) {
                let mut m = HashMap::new();
                for r in sqlx::query("SELECT id, credit_code FROM enterprises").fetch_all(&mut *c).await? {
                    m.insert(text(&r, "credit_code")?, i64_(&r, "id")?);
                }
                m
            } else {
                HashMap::new()
            },
        })
    }

    fn known(&self, kind: RefKind, value: &str) -> bool {
        match kind {
            RefKind::Unit => self.units.contains_key(value),
            RefKind::Person => self.people.contains_key(value),
            RefKind::ProjectType => self.types.contains_key(value),
            RefKind::Category => self.categories.contains_key(value),
            RefKind::ProjectCode => self.projects.by_code.contains_key(value),
            RefKind::ProjectExternal => self.projects.by_external.contains_key(value),
            RefKind::Enterprise => self.enterprises.contains_key(value),
        }
    }

    /// Every value the file names that is neither in the district's records nor defined by
    /// the file itself, as one error each.
    pub(super) fn check(&self, p: &Parsed, errors: &mut Vec<RowError>) {
        let defined: HashSet<(RefKind, &str)> = p.defines.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for r in &p.references {
            if defined.contains(&(r.kind, r.value.as_str())) || self.known(r.kind, &r.value) {
                continue;
            }
            let what = match r.kind {
                RefKind::Unit => "系统中没有这个单位",
                RefKind::Person => "系统中没有这个人员",
                RefKind::ProjectType => "系统中没有这个项目类型",
                RefKind::Category => "系统中没有这个项目类别",
                RefKind::ProjectCode | RefKind::ProjectExternal => "系统中没有这个项目",
                RefKind::Enterprise => "系统中没有这个企业",
            };
            errors.push(RowError::new(r.line, &r.column, &r.value, what));
        }
    }

    pub(super) fn unit(&self, name: &str) -> Option<i64> {
        self.units.get(name).copied()
    }
    pub(super) fn person(&self, name: &str) -> Option<i64> {
        self.people.get(name).copied()
    }
    /// A person of `unit` by name, else anyone of that name.
    pub(super) fn person_in(&self, name: &str, unit: i64) -> Option<i64> {
        self.people_in.get(&(name.to_string(), unit)).copied().or_else(|| self.person(name))
    }
    /// The code of a project type named by its name or code.
    pub(super) fn project_type(&self, name: &str) -> Option<String> {
        self.types.get(name).cloned()
    }
    pub(super) fn category(&self, name: &str) -> Option<i64> {
        self.categories.get(name).copied()
    }
    pub(super) fn project(&self, key: &ProjectKey) -> Option<i64> {
        self.projects.find(key)
    }
    /// A row's project if it names one: `Some(None)` when it names none, `None` when it names
    /// one the district does not have (reported by `check`: the row is skipped).
    pub(super) fn project_if_named(&self, key: Option<&ProjectKey>) -> Option<Option<i64>> {
        match key {
            Some(k) => self.project(k).map(Some),
            None => Some(None),
        }
    }
    pub(super) fn enterprise(&self, credit_code: &str) -> Option<i64> {
        self.enterprises.get(credit_code).copied()
    }
}
