//! Exports: the same columns the importer reads, so an export imports again unchanged.

use super::effective_external;
use super::projects::PROJECT_COLS;
use crate::critical_path::{node_floats, schedule_node};
use crate::row::{SqlBuf, i64_, opt_i64, opt_text, text};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use std::str::FromStr;
use zhantu_domain::imports::{ImportKind, RefKind, export_columns};
use zhantu_domain::model::{NodeStatus, ProblemStatus};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::{LandArea, Money, Stage};

impl Store {
    /// Every project matching `f` (any number), with the columns the project import reads.
    pub async fn export_projects(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let sel: Vec<String> = PROJECT_COLS.iter().map(|(c, _)| format!("p.{c}")).collect();
        let mut q = SqlBuf::new(&format!(
            "SELECT p.id, {}, u.name AS unit_name, pe.name AS leader_name, pt.name AS type_name FROM projects p JOIN units u ON u.id = p.unit_id \
             JOIN project_types pt ON pt.code = p.project_type LEFT JOIN people pe ON pe.id = p.leader_id",
            sel.join(", ")
        ));
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut t = Table::new("项目", export_columns(ImportKind::Projects));
        for r in &rows {
            let id = i64_(r, "id")?;
            let code = opt_text(r, "code")?;
            let ext = if code.is_some() {
                opt_text(r, "external_id")?
            } else {
                effective_external(id, &code, opt_text(r, "external_id")?)
            };
            let stage = Stage::from_code(&text(r, "stage")?).map(|s| s.label_zh()).unwrap_or("");
            t.push(vec![
                code.into(),
                ext.into(),
                text(r, "name")?.into(),
                text(r, "unit_name")?.into(),
                opt_text(r, "leader_name")?.into(),
                // The type as people write it: its Chinese name (the import takes the code too).
                text(r, "type_name")?.into(),
                stage.into(),
                opt_text(r, "industry_code")?.into(),
                opt_text(r, "division_code")?.into(),
                text_cell(text(r, "location")?),
                opt_i64(r, "land_area_centi_mu")?.map(LandArea::from_centi_mu).into(),
                Money::from_yuan(i64_(r, "total_investment")?).into(),
                text_cell(text(r, "investor")?),
                if i64_(r, "foreign_investment")? != 0 { "是" } else { "否" }.into(),
                i64_(r, "planned_year")?.into(),
                date_cell(opt_text(r, "planned_start_on")?),
                date_cell(opt_text(r, "started_on")?),
                date_cell(opt_text(r, "completed_on")?),
                date_cell(opt_text(r, "in_statistics_on")?),
                text_cell(text(r, "description")?),
            ]);
        }
        Ok(t)
    }

    /// The nodes of every project matching `f`; after the columns the import reads, each node's
    /// 总浮动（工作日） and 关键路径 (是/否) from its project's schedule on the data date (the
    /// import ignores both: an export still imports again unchanged).
    pub async fn export_nodes(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT n.id, n.seq, n.name, n.external_id, n.planned_on, n.forecast_on, n.actual_on, n.status, p.id AS pid, p.code, p.external_id AS pext, u.name AS unit_name \
             FROM nodes n JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, n.seq, n.id");
        let mut columns = export_columns(ImportKind::Nodes);
        columns.push(Column::new("总浮动（工作日）", ColKind::Int));
        columns.push(Column::new("关键路径", ColKind::Text));
        let mut t = Table::new("节点", columns);
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut sched = Vec::with_capacity(rows.len());
        for r in &rows {
            sched.push((i64_(r, "pid")?, schedule_node(r, "id", &text(r, "status")?)?));
        }
        let floats = node_floats(&self.pool, &sched, self.as_of().await?, &self.calendar().await?).await?;
        for r in &rows {
            let (code, pext) = project_key(r)?;
            let status = NodeStatus::from_code(&text(r, "status")?).map(|s| s.label_zh()).unwrap_or("");
            let float = floats.get(&i64_(r, "id")?).copied().unwrap_or_default();
            t.push(vec![
                code.into(),
                pext.into(),
                opt_text(r, "external_id")?.into(),
                i64_(r, "seq")?.into(),
                text(r, "name")?.into(),
                date_cell(opt_text(r, "planned_on")?),
                date_cell(opt_text(r, "forecast_on")?),
                date_cell(opt_text(r, "actual_on")?),
                text(r, "unit_name")?.into(),
                status.into(),
                float.float_days.into(),
                if float.critical { "是" } else { "否" }.into(),
            ]);
        }
        Ok(t)
    }

    /// Monthly completed investment of every project matching `f`.
    pub async fn export_investment(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT m.year, m.month, m.amount, p.id AS pid, p.code, p.external_id AS pext FROM monthly_investment m JOIN projects p ON p.id = m.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, m.year, m.month");
        let mut t = Table::new("月度投资", export_columns(ImportKind::Investment));
        for r in &q.query().fetch_all(&self.pool).await? {
            let (code, pext) = project_key(r)?;
            t.push(vec![
                code.into(),
                pext.into(),
                format!("{}-{:02}", i64_(r, "year")?, i64_(r, "month")?).into(),
                Money::from_yuan(i64_(r, "amount")?).into(),
            ]);
        }
        Ok(t)
    }

    /// The statistics bureau's cumulative figures.
    pub async fn export_fai(&self) -> Result<Table, StoreError> {
        let mut t = Table::new("固定资产投资", export_columns(ImportKind::Fai));
        for r in sqlx::query("SELECT division_code, year, month, cumulative FROM fai_monthly ORDER BY division_code, year, month")
            .fetch_all(&self.pool)
            .await?
        {
            t.push(vec![
                text(&r, "division_code")?.into(),
                format!("{}-{:02}", i64_(&r, "year")?, i64_(&r, "month")?).into(),
                Money::from_yuan(i64_(&r, "cumulative")?).into(),
            ]);
        }
        Ok(t)
    }

    pub async fn export_enterprises(&self) -> Result<Table, StoreError> {
        let mut tags: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in sqlx::query("SELECT enterprise_id, tag FROM enterprise_tags ORDER BY tag")
            .fetch_all(&self.pool)
            .await?
        {
            tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
        }
        let mut t = Table::new("企业", export_columns(ImportKind::Enterprises));
        for r in sqlx::query("SELECT id, credit_code, name, industry_code, division_code FROM enterprises ORDER BY id")
            .fetch_all(&self.pool)
            .await?
        {
            let id = i64_(&r, "id")?;
            t.push(vec![
                text(&r, "credit_code")?.into(),
                text(&r, "name")?.into(),
                opt_text(&r, "industry_code")?.into(),
                opt_text(&r, "division_code")?.into(),
                text_cell(tags.get(&id).map(|v| v.join("、")).unwrap_or_default()),
            ]);
        }
        Ok(t)
    }

    /// Problems; one without an external id is matched again by its project (or enterprise),
    /// the day it was raised and its description.
    pub async fn export_problems(&self) -> Result<Table, StoreError> {
        let mut t = Table::new("问题", export_columns(ImportKind::Problems));
        for r in sqlx::query(
            "SELECT q.id, q.external_id, p.id AS pid, p.code, p.external_id AS pext, e.credit_code, q.category, q.description, u.name AS unit_name, q.raised_on, q.deadline, q.status, q.resolved_on, q.closed_on \
             FROM problems q JOIN units u ON u.id = q.unit_id LEFT JOIN projects p ON p.id = q.project_id LEFT JOIN enterprises e ON e.id = q.enterprise_id ORDER BY q.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let status = ProblemStatus::from_code(&text(&r, "status")?).map(|s| s.label_zh()).unwrap_or("");
            let (code, pext) = project_key(&r)?;
            t.push(vec![
                opt_text(&r, "external_id")?.into(),
                code.into(),
                pext.into(),
                opt_text(&r, "credit_code")?.into(),
                text(&r, "category")?.into(),
                text(&r, "description")?.into(),
                text(&r, "unit_name")?.into(),
                date_cell(opt_text(&r, "raised_on")?),
                date_cell(opt_text(&r, "deadline")?),
                status.into(),
                date_cell(opt_text(&r, "resolved_on")?),
                date_cell(opt_text(&r, "closed_on")?),
            ]);
        }
        Ok(t)
    }

    /// The district's own values a template's column may name, for its drop-down list:
    /// units in use, leaders, project types and categories by their Chinese names.
    pub async fn import_choices(&self, kind: RefKind) -> Result<Vec<String>, StoreError> {
        let sql = match kind {
            RefKind::Unit => "SELECT name FROM units WHERE active = 1 ORDER BY sort_order, id",
            RefKind::Person => "SELECT name FROM people WHERE active = 1 AND is_leader = 1 ORDER BY id",
            RefKind::ProjectType => "SELECT name FROM project_types ORDER BY code",
            RefKind::Category => "SELECT name FROM categories ORDER BY sort_order, id",
            RefKind::ProjectCode | RefKind::ProjectExternal | RefKind::Enterprise => return Ok(Vec::new()),
        };
        let rows = sqlx::query(sql).fetch_all(&self.pool).await?;
        let mut names: Vec<String> = rows.iter().map(|r| text(r, "name")).collect::<Result<_, _>>()?;
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(n.clone()));
        Ok(names)
    }

    /// The export of `kind`, in the columns its import reads; the kinds that hang off projects
    /// take the registry's filter `f`.
    pub async fn export_kind(&self, kind: ImportKind, f: &ProjectFilter) -> Result<Table, StoreError> {
        match kind {
            ImportKind::Units => self.export_units().await,
            ImportKind::People => self.export_people().await,
            ImportKind::Categories => self.export_categories().await,
            ImportKind::Projects => self.export_projects(f).await,
            ImportKind::ProjectYears => self.export_project_years(f).await,
            ImportKind::StageHistory => self.export_stage_history(f).await,
            ImportKind::Nodes => self.export_nodes(f).await,
            ImportKind::Investment => self.export_investment(f).await,
            ImportKind::Reports => self.export_reports(f).await,
            ImportKind::Fai => self.export_fai().await,
            ImportKind::Enterprises => self.export_enterprises().await,
            ImportKind::Visits => self.export_visits().await,
            ImportKind::Problems => self.export_problems().await,
            ImportKind::Batches => self.export_batches().await,
            ImportKind::Campaigns => self.export_campaigns().await,
            ImportKind::Supervision => self.export_supervision().await,
            ImportKind::Land => self.export_land().await,
            ImportKind::Results => self.export_results(f).await,
            ImportKind::StatisticsCounted => self.export_statistics_counted(f).await,
        }
    }
}

/// How an exported row names its project (columns `code`, `pid`, `pext`): the code, and for a
/// project without one the external id the importer matches it by.
pub(super) fn project_key(r: &AnyRow) -> Result<(Option<String>, Option<String>), StoreError> {
    let code = opt_text(r, "code")?;
    let pext = match (opt_i64(r, "pid")?, &code) {
        (Some(pid), None) => effective_external(pid, &code, opt_text(r, "pext")?),
        _ => None,
    };
    Ok((code, pext))
}

pub(super) fn text_cell(s: String) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

pub(super) fn date_cell(s: Option<String>) -> Cell {
    s.and_then(|s| chrono::NaiveDate::from_str(&s).ok()).into()
}
