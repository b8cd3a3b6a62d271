//! Reading projects: the filtered registry with keyset paging (this module), one project
//! whole (`detail.rs`); creating one by hand (`create.rs`), its edits and pause (`edit.rs`),
//! its stage history (`stages.rs`) and its years' categories and plans (`years.rs`).

mod create;
mod detail;
mod edit;
mod stages;
mod years;

pub use detail::{NodeView, ProjectDetail, StageChangeView};
pub use edit::ProjectChange;

use crate::choices::NamedRef;
use crate::row::{SqlBuf, i64_, named, opt_date, opt_i64, opt_named, opt_text, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, BTreeSet};
use zhantu_domain::confidence::{Confidence, DisagreeFilter};
use zhantu_domain::figures::Wan;
use zhantu_domain::lights::Light;
use zhantu_domain::{Money, Stage};

/// Filters of the project registry. All optional; combined with AND.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    /// A unit: its projects and those of every unit below it.
    pub unit: Option<i64>,
    pub category: Option<String>,
    pub stage: Option<Stage>,
    pub leader: Option<i64>,
    pub light: Option<Light>,
    /// A GB/T 4754 code or prefix (section letter, division, group, class).
    pub industry: Option<String>,
    /// Street/town division code.
    pub division: Option<String>,
    /// Projects of a groundbreaking batch.
    pub batch: Option<i64>,
    /// Projects with a target node in a campaign.
    pub campaign: Option<i64>,
    /// With `category`: on the category's list of this year (without: on any list of it).
    pub year: Option<i32>,
    /// Planned (谋划) into the pool in this year.
    pub planned_year: Option<i32>,
    /// Reached 开工/落地 on or after this day.
    pub started_from: Option<NaiveDate>,
    /// Reached 开工/落地 on or before this day.
    pub started_to: Option<NaiveDate>,
    /// With `light`: the light of this month (its first day) as the light history keeps it,
    /// not today's.
    pub light_month: Option<NaiveDate>,
    /// The latest delivery-confidence rating is this level.
    pub confidence: Option<Confidence>,
    /// The latest rating disagrees with the light it was given against.
    pub disagree: Option<DisagreeFilter>,
    /// Not terminated (在库项目).
    pub active: bool,
    /// `unit` alone, without the units below it.
    pub unit_exact: bool,
    /// Text in the name, code or investor.
    pub text: Option<String>,
    /// Only projects of these units (the reader's scope); `None` for readers who see all.
    pub within_units: Option<Vec<i64>>,
    /// Keyset cursor: the id of the last project of the previous page.
    pub after: Option<i64>,
    pub limit: u32,
}

impl ProjectFilter {
    /// The text filter, trimmed; `None` when blank.
    fn text_query(&self) -> Option<&str> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }

    /// The full-text terms of the text filter; `None` when it is blank or one character
    /// (which is matched as a substring instead).
    fn text_terms(&self) -> Option<Vec<String>> {
        use zhantu_domain::search::{Query, is_single_cjk, query_terms};
        match self.text_query() {
            Some(t) if !is_single_cjk(t) => match query_terms(t) {
                Query::Terms(terms) => Some(terms),
                Query::Empty => None,
            },
            _ => None,
        }
    }

    /// Whether any condition other than the text is set (paging aside).
    fn has_conditions_besides_text(&self) -> bool {
        // Destructured, so a new filter cannot be forgotten here.
        let ProjectFilter {
            unit,
            category,
            stage,
            leader,
            light,
            industry,
            division,
            batch,
            campaign,
            year,
            planned_year,
            started_from,
            started_to,
            light_month,
            confidence,
            disagree,
            active,
            unit_exact: _,
            text: _,
            within_units,
            after: _,
            limit: _,
        } = self;
        unit.is_some()
            || category.is_some()
            || stage.is_some()
            || leader.is_some()
            || light.is_some()
            || industry.is_some()
            || division.is_some()
            || batch.is_some()
            || campaign.is_some()
            || year.is_some()
            || planned_year.is_some()
            || started_from.is_some()
            || started_to.is_some()
            || light_month.is_some()
            || confidence.is_some()
            || disagree.is_some()
            || *active
            || within_units.is_some()
    }

    /// Whether the filter selects every project (paging aside).
    pub(crate) fn selects_all(&self) -> bool {
        self.text_query().is_none() && !self.has_conditions_besides_text()
    }
}

/// Orders of the registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectSort {
    /// Registration order (the id).
    #[default]
    Id,
    Name,
    /// Largest total investment first.
    InvestmentDesc,
    /// Earliest planned start first (projects without one last).
    PlannedStart,
    /// Red, then yellow, then green, then unlit.
    LightFirst,
}

impl ProjectSort {
    pub const ALL: [ProjectSort; 5] = [
        ProjectSort::Id,
        ProjectSort::Name,
        ProjectSort::InvestmentDesc,
        ProjectSort::PlannedStart,
        ProjectSort::LightFirst,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ProjectSort::Id => "id",
            ProjectSort::Name => "name",
            ProjectSort::InvestmentDesc => "investment",
            ProjectSort::PlannedStart => "start",
            ProjectSort::LightFirst => "light",
        }
    }
    pub fn from_code(s: &str) -> Option<ProjectSort> {
        ProjectSort::ALL.into_iter().find(|x| x.code() == s)
    }
    fn key_sql(self) -> &'static str {
        match self {
            ProjectSort::Id => "p.id",
            ProjectSort::Name => "p.name",
            ProjectSort::InvestmentDesc => "p.total_investment",
            ProjectSort::PlannedStart => "COALESCE(p.planned_start_on, '9999-12-31')",
            ProjectSort::LightFirst => "(CASE p.light WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 2 ELSE 3 END)",
        }
    }
    fn descending(self) -> bool {
        self == ProjectSort::InvestmentDesc
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectListItem {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub unit: NamedRef,
    pub leader: Option<NamedRef>,
    pub stage: Stage,
    pub stage_label: &'static str,
    pub project_type: String,
    pub industry_code: Option<String>,
    pub division_code: Option<String>,
    pub division_name: Option<&'static str>,
    pub total_investment_wan: Wan,
    pub planned_year: i64,
    pub planned_start_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub light: Option<Light>,
    pub light_reason: Option<String>,
    /// The headline reason in English: the first of the stored English reasons (`None` for
    /// lights computed before they were kept).
    pub light_reason_en: Option<String>,
    pub categories: Vec<String>,
    /// The latest delivery-confidence rating (registry pages and the project's detail only).
    pub confidence: Option<crate::confidence::LatestRating>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectPage {
    pub items: Vec<ProjectListItem>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_cursor: Option<i64>,
    pub total: i64,
}

pub(crate) const LIST_COLUMNS: &str = "SELECT p.id, p.code, p.name, p.unit_id, u.name AS unit_name, p.leader_id, pe.name AS leader_name, \
     p.stage, p.project_type, p.industry_code, p.division_code, p.total_investment, p.planned_year, p.planned_start_on, \
     p.started_on, p.light, p.light_reason, p.light_reasons_en, p.version";
pub(crate) const LIST_FROM: &str = " FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN people pe ON pe.id = p.leader_id";

pub(crate) fn list_item(row: &AnyRow) -> Result<ProjectListItem, StoreError> {
    let stage_code = text(row, "stage")?;
    let stage = Stage::from_code(&stage_code).ok_or_else(|| StoreError::Corrupt(format!("stage = {stage_code}")))?;
    let division_code = opt_text(row, "division_code")?;
    Ok(ProjectListItem {
        id: i64_(row, "id")?,
        code: opt_text(row, "code")?,
        name: text(row, "name")?,
        unit: named(row, "unit_id", "unit_name")?,
        leader: opt_named(row, "leader_id", "leader_name")?,
        stage,
        stage_label: stage.label_zh(),
        project_type: text(row, "project_type")?,
        industry_code: opt_text(row, "industry_code")?,
        division_name: division_code.as_deref().and_then(zhantu_domain::reference::division_name),
        division_code,
        total_investment_wan: Wan(Money::from_yuan(i64_(row, "total_investment")?)),
        planned_year: i64_(row, "planned_year")?,
        planned_start_on: opt_date(row, "planned_start_on")?,
        started_on: opt_date(row, "started_on")?,
        light: opt_text(row, "light")?.as_deref().and_then(Light::from_code),
        light_reason: opt_text(row, "light_reason")?,
        light_reason_en: opt_text(row, "light_reasons_en")?
            .and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok())
            .and_then(|all| all.into_iter().next()),
        categories: Vec::new(),
        confidence: None,
        version: i64_(row, "version")?,
    })
}

impl Store {
    /// The ids of a unit and every unit below it.
    pub async fn unit_and_descendants(&self, unit: i64) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query("SELECT id, parent_id FROM units").fetch_all(&self.pool).await?;
        let mut children: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for r in &rows {
            if let Some(p) = opt_i64(r, "parent_id")? {
                children.entry(p).or_default().push(i64_(r, "id")?);
            }
        }
        let mut out = vec![unit];
        let mut i = 0;
        while i < out.len() {
            if let Some(c) = children.get(&out[i]) {
                out.extend(c);
            }
            i += 1;
        }
        Ok(out)
    }

    pub(crate) async fn project_where(&self, f: &ProjectFilter, q: &mut SqlBuf) -> Result<(), StoreError> {
        q.push(" WHERE 1 = 1");
        if let Some(unit) = f.unit {
            let ids = if f.unit_exact {
                vec![unit]
            } else {
                self.unit_and_descendants(unit).await?
            };
            q.push(" AND p.unit_id IN ").in_list(ids);
        }
        if let Some(scope) = &f.within_units {
            q.push(" AND p.unit_id IN ").in_list(scope.iter().copied());
        }
        if f.category.is_some() || f.year.is_some() {
            q.push(
                " AND EXISTS (SELECT 1 FROM project_categories pc JOIN categories c ON c.id = pc.category_id WHERE pc.project_id = p.id",
            );
            q.push_some(" AND c.code = ", f.category.as_deref());
            q.push_some(" AND pc.year = ", f.year.map(i64::from));
            q.push(")");
        }
        q.push_some(" AND p.stage = ", f.stage.map(|s| s.code()));
        if f.active {
            q.push(" AND p.stage <> 'terminated'");
        }
        q.push_some(" AND p.leader_id = ", f.leader);
        q.push_some(" AND p.planned_year = ", f.planned_year.map(i64::from));
        q.push_some(" AND p.started_on >= ", f.started_from.map(|d| d.to_string()));
        q.push_some(" AND p.started_on <= ", f.started_to.map(|d| d.to_string()));
        match (f.light, f.light_month) {
            // The month's light from the light history: a project had a row only while lit.
            (Some(l), Some(month)) => {
                q.push(" AND EXISTS (SELECT 1 FROM light_snapshots ls WHERE ls.project_id = p.id AND ls.period_kind = 'month' AND ls.period_start = ")
                    .arg(month.to_string())
                    .push(" AND ls.light = ")
                    .arg(l.code())
                    .push(")");
            }
            (Some(l), None) => {
                q.push(" AND p.light = ").arg(l.code());
            }
            (None, _) => {}
        }
        if f.confidence.is_some() || f.disagree.is_some() {
            // The project's latest rating (its last month), as the registry shows it.
            q.push(
                " AND EXISTS (SELECT 1 FROM confidence_ratings cr WHERE cr.project_id = p.id \
                 AND cr.month = (SELECT MAX(c2.month) FROM confidence_ratings c2 WHERE c2.project_id = p.id)",
            );
            q.push_some(" AND cr.level = ", f.confidence.map(|c| c.code()));
            if let Some(d) = f.disagree {
                q.push(" AND (");
                for (i, (light, level)) in d.pairs().into_iter().enumerate() {
                    q.push(if i == 0 { "(cr.light = " } else { " OR (cr.light = " })
                        .arg(light.code())
                        .push(" AND cr.level = ")
                        .arg(level.code())
                        .push(")");
                }
                q.push(")");
            }
            q.push(")");
        }
        if let Some(ind) = &f.industry {
            q.push(" AND p.industry_code LIKE ")
                .arg(format!("{}%", escape_like(ind)))
                .push(" ESCAPE '\\'");
        }
        if let Some(b) = f.batch {
            q.push(" AND EXISTS (SELECT 1 FROM batch_projects bp WHERE bp.project_id = p.id AND bp.batch_id = ")
                .arg(b)
                .push(")");
        }
        if let Some(c) = f.campaign {
            q.push(" AND EXISTS (SELECT 1 FROM campaign_nodes cn JOIN nodes cnn ON cnn.id = cn.node_id WHERE cnn.project_id = p.id AND cn.campaign_id = ")
                .arg(c)
                .push(")");
        }
        if let Some(d) = &f.division {
            // A code prefix (331002: the district's streets and towns too), as a range the
            // index can answer; the bounds are digits, so every collation orders them alike.
            if d.bytes().all(|b| b.is_ascii_digit()) {
                q.push(" AND p.division_code >= ").arg(d.as_str());
                if let Some(upper) = division_upper_bound(d) {
                    q.push(" AND p.division_code < ").arg(upper);
                }
            } else {
                q.push(" AND p.division_code = ").arg(d.as_str());
            }
        }
        let text_query = f.text_query();
        if let Some(terms) = f.text_terms() {
            // Full-text index: every bigram / word of the query (name, code, investor,
            // location, description).
            q.push(" AND ");
            q.push_fts_filter(self.engine, crate::doc_kind::DocKind::Project, "p.id", &terms);
        } else if let Some(t) = text_query {
            // One character (or punctuation only): a substring scan.
            let pattern = format!("%{}%", escape_like(&t.to_lowercase()));
            q.push(" AND (LOWER(p.name) LIKE ").arg(pattern.clone()).push(" ESCAPE '\\'");
            q.push(" OR LOWER(COALESCE(p.code, '')) LIKE ")
                .arg(pattern.clone())
                .push(" ESCAPE '\\'");
            q.push(" OR LOWER(p.investor) LIKE ").arg(pattern).push(" ESCAPE '\\')");
        }
        Ok(())
    }

    /// One page of the registry, ordered by id, with the total count of matches.
    pub async fn list_projects(&self, f: &ProjectFilter) -> Result<ProjectPage, StoreError> {
        let limit = f.limit.clamp(1, 500) as i64;
        let mut q = SqlBuf::new(LIST_COLUMNS);
        q.push(LIST_FROM);
        self.project_where(f, &mut q).await?;
        q.push_some(" AND p.id > ", f.after);
        q.push(" ORDER BY p.id LIMIT ").arg(limit + 1);
        self.finish_page(&q, f, limit).await
    }

    /// One page of the registry in the given order. Keyset paging still uses the id of the
    /// previous page's last project (`f.after`): the page starts after that project's place in
    /// the order, so pages stay fast and stable at any depth.
    pub async fn list_projects_sorted(&self, f: &ProjectFilter, sort: ProjectSort) -> Result<ProjectPage, StoreError> {
        if sort == ProjectSort::Id {
            return self.list_projects(f).await;
        }
        let limit = f.limit.clamp(1, 500) as i64;
        let key = sort.key_sql();
        // The page's ids are chosen on `projects` alone, then joined: joining every match
        // before sorting is what makes a deep sort slow.
        let mut q = SqlBuf::new(LIST_COLUMNS);
        q.push(LIST_FROM).push(" WHERE p.id IN (SELECT p.id FROM projects p");
        self.project_where(f, &mut q).await?;
        if let Some(after) = f.after {
            let cmp = if sort.descending() { " < " } else { " > " };
            let sub = format!("(SELECT {key} FROM projects p WHERE p.id = ");
            q.push(" AND (").push(key).push(cmp).push(&sub).arg(after).push(")");
            q.push(" OR (")
                .push(key)
                .push(" = ")
                .push(&sub)
                .arg(after)
                .push(") AND p.id > ")
                .arg(after)
                .push("))");
        }
        q.push(" ORDER BY ")
            .push(key)
            .push(if sort.descending() { " DESC" } else { " ASC" });
        q.push(", p.id LIMIT ").arg(limit + 1);
        q.push(") ORDER BY ")
            .push(key)
            .push(if sort.descending() { " DESC" } else { " ASC" })
            .push(", p.id");
        self.finish_page(&q, f, limit).await
    }

    /// Runs a page query (which asked for `limit + 1` rows), and adds the cursor, the
    /// categories and the total count of matches.
    async fn finish_page(&self, q: &SqlBuf, f: &ProjectFilter, limit: i64) -> Result<ProjectPage, StoreError> {
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut items = rows.iter().map(list_item).collect::<Result<Vec<_>, _>>()?;
        let next_cursor = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|p| p.id)
        } else {
            None
        };
        self.attach_categories(&mut items).await?;
        self.attach_confidence(&mut items).await?;
        let count = match f.text_terms() {
            // Text alone (a reader who sees all): the index holds exactly the projects, so
            // it counts the matches without visiting them (20,000 for a common term).
            Some(terms) if !f.has_conditions_besides_text() => {
                let mut count = SqlBuf::new("SELECT COUNT(*) AS n FROM (");
                count
                    .push_fts_ids(self.engine, crate::doc_kind::DocKind::Project, &terms)
                    .push(") m");
                count
            }
            _ => {
                let mut count = SqlBuf::new("SELECT COUNT(*) AS n FROM projects p");
                self.project_where(f, &mut count).await?;
                count
            }
        };
        let total: i64 = i64_(&count.query().fetch_one(&self.pool).await?, "n")?;
        Ok(ProjectPage { items, next_cursor, total })
    }

    pub(crate) async fn attach_categories(&self, items: &mut [ProjectListItem]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut q = SqlBuf::new(
            "SELECT DISTINCT pc.project_id, c.name, c.sort_order FROM project_categories pc JOIN categories c ON c.id = pc.category_id WHERE pc.project_id IN ",
        );
        q.in_list(items.iter().map(|it| it.id)).push(" ORDER BY c.sort_order");
        let mut by_project: BTreeMap<i64, BTreeSet<(i64, String)>> = BTreeMap::new();
        for r in q.query().fetch_all(&self.pool).await? {
            by_project
                .entry(i64_(&r, "project_id")?)
                .or_default()
                .insert((i64_(&r, "sort_order")?, text(&r, "name")?));
        }
        for it in items.iter_mut() {
            it.categories = by_project.remove(&it.id).unwrap_or_default().into_iter().map(|(_, n)| n).collect();
        }
        Ok(())
    }
}

/// Escapes LIKE wildcards in user text (`\` is the escape character).
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

impl Store {
    /// The project a person typed: its number, its project code, or its exact name. A name
    /// shared by several projects is refused with their codes.
    pub async fn resolve_project_ref(&self, typed: &str) -> Result<i64, StoreError> {
        let s = typed.trim();
        if s.is_empty() {
            return Err(StoreError::rule("project_ref_empty", "请填写项目（编号、项目代码或名称）"));
        }
        if let Ok(id) = s.parse::<i64>() {
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
            return found.ok_or_else(|| StoreError::rule("project_missing", format!("项目 {id} 不存在")));
        }
        let rows = sqlx::query("SELECT id, code FROM projects WHERE code = $1 OR name = $1 ORDER BY id LIMIT 6")
            .bind(s)
            .fetch_all(&self.pool)
            .await?;
        match rows.len() {
            0 => Err(StoreError::rule(
                "project_ref_unknown",
                format!("找不到项目“{s}”：请填写项目编号、项目代码或完整的项目名称"),
            )),
            1 => i64_(&rows[0], "id"),
            _ => {
                let codes: Vec<String> = rows
                    .iter()
                    .map(|r| Ok(opt_text(r, "code")?.unwrap_or_else(|| format!("#{}", i64_(r, "id").unwrap_or(0)))))
                    .collect::<Result<_, StoreError>>()?;
                Err(StoreError::rule(
                    "project_ref_ambiguous",
                    format!("“{s}”对应多个项目（{}），请改填项目代码", codes.join("、")),
                ))
            }
        }
    }
}

/// The least digit string above every code starting with `prefix` ("331002" → "331003",
/// "3319" → "332"); `None` when there is none ("999").
pub(crate) fn division_upper_bound(prefix: &str) -> Option<String> {
    let mut digits: Vec<u8> = prefix.bytes().collect();
    while let Some(last) = digits.pop() {
        if last < b'9' {
            digits.push(last + 1);
            return String::from_utf8(digits).ok();
        }
    }
    None
}

#[cfg(test)]
mod division_tests {
    use super::division_upper_bound;

    #[test]
    fn upper_bounds_of_division_prefixes() {
        assert_eq!(division_upper_bound("331002").as_deref(), Some("331003"));
        assert_eq!(division_upper_bound("3319").as_deref(), Some("332"));
        assert_eq!(division_upper_bound("99"), None);
        assert!("331002001" < "331003" && "331002001" >= "331002");
        assert!("331003001" >= "331003");
    }
}
