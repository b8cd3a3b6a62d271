//! Importing a project's years (项目年度): per project and year, its categories (the row's
//! list replaces the year's) and its annual planned investment (none: no plan that year).

use super::export::project_key;
use super::refs::Refs;
use super::{Outcome, Tally, set_yearly, sync_list, yearly_values};
use crate::row::{SqlBuf, i64_, opt_i64, text};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhantu_domain::Money;
use zhantu_domain::imports::{ImportKind, ProjectYearRow, export_columns};
use zhantu_domain::table::{Cell, Table};

/// A project's annual planned investment: (table, project column, value column).
const PLANS: (&str, &str, &str) = ("annual_plans", "project_id", "planned_investment");

pub(super) async fn import_project_years(
    c: &mut AnyConnection,
    rows: &[ProjectYearRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let plans = yearly_values(c, PLANS.0, PLANS.1, PLANS.2).await?;
    'rows: for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // Unknown projects and categories were reported by `Refs::check`.
        let Some(pid) = refs.project(&r.project) else { continue };
        let mut wanted = BTreeSet::new();
        for name in &r.categories {
            match refs.category(name) {
                Some(id) => wanted.insert(id),
                None => continue 'rows,
            };
        }
        let year = i64::from(r.year);
        let (added, removed) = sync_list(
            c,
            "project_categories",
            ("project_id", pid),
            Some(("year", year)),
            "category_id",
            &wanted,
            &[],
        )
        .await?;
        let had_categories = wanted.len() - added.len() + removed > 0;
        let plan = r.planned.map(Money::yuan);
        let old_plan = plans.get(&(pid, year)).copied();
        let plan_changed = set_yearly(c, PLANS, (pid, year), old_plan, plan).await? != Outcome::Unchanged;
        let outcome = if !had_categories && old_plan.is_none() && (plan.is_some() || !wanted.is_empty()) {
            Outcome::Created
        } else if plan_changed || !added.is_empty() || removed > 0 {
            Outcome::Changed
        } else {
            Outcome::Unchanged
        };
        t.row(outcome, format!("{} {}", r.project.describe(), r.year));
    }
    Ok(())
}

impl Store {
    /// Every year a project matching `f` has categories or a plan in: its categories (by
    /// name, in their display order) and its planned investment.
    pub async fn export_project_years(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut cats: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
        let mut q = SqlBuf::new(
            "SELECT pc.project_id, pc.year, c.name FROM project_categories pc JOIN categories c ON c.id = pc.category_id \
             JOIN projects p ON p.id = pc.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY c.sort_order, c.id");
        for r in q.query().fetch_all(&self.pool).await? {
            cats.entry((i64_(&r, "project_id")?, i64_(&r, "year")?))
                .or_default()
                .push(text(&r, "name")?);
        }
        let mut keys: BTreeMap<(i64, i64), Option<i64>> = cats.keys().map(|k| (*k, None)).collect();
        let mut q =
            SqlBuf::new("SELECT a.project_id, a.year, a.planned_investment FROM annual_plans a JOIN projects p ON p.id = a.project_id");
        self.project_where(f, &mut q).await?;
        for r in q.query().fetch_all(&self.pool).await? {
            keys.insert((i64_(&r, "project_id")?, i64_(&r, "year")?), opt_i64(&r, "planned_investment")?);
        }
        let mut names = HashMap::new();
        for r in sqlx::query("SELECT id AS pid, code, external_id AS pext FROM projects")
            .fetch_all(&self.pool)
            .await?
        {
            names.insert(i64_(&r, "pid")?, project_key(&r)?);
        }
        let mut t = Table::new(ImportKind::ProjectYears.label_zh(), export_columns(ImportKind::ProjectYears));
        for ((pid, year), plan) in keys {
            let (code, pext) = names.get(&pid).cloned().unwrap_or_default();
            t.push(vec![
                code.into(),
                pext.into(),
                year.into(),
                cats.get(&(pid, year)).map(|v| v.join("、")).into(),
                plan.map(Money::from_yuan).map_or(Cell::Empty, Cell::Money),
            ]);
        }
        Ok(t)
    }
}
