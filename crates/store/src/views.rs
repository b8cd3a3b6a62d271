//! Read-only views for the pages: the choices of the registry's filters, the ranking of
//! units, the battle map's rows with their nodes, counts by street/town, and the year's
//! figures as of the end of a chosen month.

use crate::projects::{LIST_COLUMNS, LIST_FROM, list_item};
use crate::row::{SqlBuf, date, i64_, opt_date, opt_i64, opt_text, text};
use crate::{NamedRef, ProjectFilter, ProjectListItem, Store, StoreError};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use zhantu_domain::Money;
use zhantu_domain::figures::{FaiInput, YearFigures, year_figures};
use zhantu_domain::lights::Light;

/// A unit in the filter's list, with its depth in the tree (for indentation).
#[derive(Debug, Clone)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub depth: u32,
}

/// What the registry's filters offer.
#[derive(Debug, Clone, Default)]
pub struct FilterChoices {
    pub units: Vec<UnitChoice>,
    pub leaders: Vec<NamedRef>,
    /// (code, name) in the district's order.
    pub categories: Vec<(String, String)>,
}

/// One unit's line in the cockpit's ranking (projects not terminated).
#[derive(Debug, Clone)]
pub struct UnitRank {
    pub unit: NamedRef,
    pub projects: i64,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    /// The year's planned investment of its projects.
    pub planned: Money,
    /// Completed in the year up to the month.
    pub completed: Money,
}

/// A node as the battle map draws it.
#[derive(Debug, Clone)]
pub struct MapNode {
    pub name: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub status: String,
    pub light: Option<Light>,
}

/// A project of the battle map, with its nodes in order.
#[derive(Debug, Clone)]
pub struct MapRow {
    pub project: ProjectListItem,
    pub nodes: Vec<MapNode>,
}

/// Projects of a street or town (by division code; `None` for projects without one).
#[derive(Debug, Clone)]
pub struct DivisionCount {
    pub code: Option<String>,
    pub projects: i64,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub investment: Money,
}

const LIGHT_SUMS: &str = "CAST(SUM(CASE WHEN p.light = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS red, \
     CAST(SUM(CASE WHEN p.light = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS yellow, \
     CAST(SUM(CASE WHEN p.light = 'green' THEN 1 ELSE 0 END) AS BIGINT) AS green";

fn push_scope(q: &mut SqlBuf, within: Option<&[i64]>) {
    if let Some(scope) = within {
        q.push(" AND p.unit_id IN ").in_list(scope.iter().copied());
    }
}

impl Store {
    /// Units (as a tree, depth first), the district's leaders and the categories.
    pub async fn filter_choices(&self) -> Result<FilterChoices, StoreError> {
        let mut children: BTreeMap<Option<i64>, Vec<(i64, i64, String)>> = BTreeMap::new();
        for r in sqlx::query("SELECT id, parent_id, name, sort_order FROM units WHERE active = 1 ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
        {
            children
                .entry(opt_i64(&r, "parent_id")?)
                .or_default()
                .push((i64_(&r, "sort_order")?, i64_(&r, "id")?, text(&r, "name")?));
        }
        let mut units = Vec::new();
        let mut stack: Vec<(i64, String, u32)> = children
            .get(&None)
            .map(|v| v.iter().rev().map(|(_, id, n)| (*id, n.clone(), 0)).collect())
            .unwrap_or_default();
        while let Some((id, name, depth)) = stack.pop() {
            if let Some(c) = children.get(&Some(id)) {
                stack.extend(c.iter().rev().map(|(_, cid, n)| (*cid, n.clone(), depth + 1)));
            }
            units.push(UnitChoice { id, name, depth });
        }
        let leaders = sqlx::query("SELECT id, name FROM people WHERE is_leader = 1 AND active = 1 ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(NamedRef {
                    id: i64_(r, "id")?,
                    name: text(r, "name")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let categories = sqlx::query("SELECT code, name FROM categories ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((text(r, "code")?, text(r, "name")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(FilterChoices {
            units,
            leaders,
            categories,
        })
    }

    /// The project types: (code, Chinese name, English name).
    pub async fn project_types(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        sqlx::query("SELECT code, name, name_en FROM project_types ORDER BY code")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((text(r, "code")?, text(r, "name")?, text(r, "name_en")?)))
            .collect()
    }

    /// Every unit with projects (not terminated): counts, lights, and the year's investment
    /// planned and completed up to `month`. `within` limits to a reader's units.
    pub async fn unit_ranking(&self, year: i32, month: u32, within: Option<&[i64]>) -> Result<Vec<UnitRank>, StoreError> {
        // Grouped on `projects` alone, then named: joining first makes the grouping sort.
        let mut q = SqlBuf::new(&format!(
            "SELECT g.unit_id, u.name AS unit_name, g.n, g.red, g.yellow, g.green FROM (SELECT p.unit_id, COUNT(*) AS n, {LIGHT_SUMS} \
             FROM projects p WHERE p.stage <> 'terminated'"
        ));
        push_scope(&mut q, within);
        q.push(" GROUP BY p.unit_id) g JOIN units u ON u.id = g.unit_id");
        let mut out: Vec<UnitRank> = Vec::new();
        for r in q.query().fetch_all(&self.pool).await? {
            out.push(UnitRank {
                unit: NamedRef {
                    id: i64_(&r, "unit_id")?,
                    name: text(&r, "unit_name")?,
                },
                projects: i64_(&r, "n")?,
                red: i64_(&r, "red")?,
                yellow: i64_(&r, "yellow")?,
                green: i64_(&r, "green")?,
                planned: Money::ZERO,
                completed: Money::ZERO,
            });
        }
        let mut planned = SqlBuf::new(
            "SELECT p.unit_id, CAST(SUM(a.planned_investment) AS BIGINT) AS s FROM annual_plans a JOIN projects p ON p.id = a.project_id \
             WHERE p.stage <> 'terminated' AND a.year = ",
        );
        planned.arg(year as i64);
        push_scope(&mut planned, within);
        planned.push(" GROUP BY p.unit_id");
        // Summed per project along the primary key first, then per unit.
        let mut done = SqlBuf::new(
            "SELECT p.unit_id, CAST(SUM(m.s) AS BIGINT) AS s FROM (SELECT project_id, SUM(amount) AS s FROM monthly_investment \
             WHERE year = ",
        );
        done.arg(year as i64).push(" AND month <= ").arg(month as i64);
        done.push(" GROUP BY project_id) m JOIN projects p ON p.id = m.project_id WHERE p.stage <> 'terminated'");
        push_scope(&mut done, within);
        done.push(" GROUP BY p.unit_id");
        for (buf, planned) in [(planned, true), (done, false)] {
            for r in buf.query().fetch_all(&self.pool).await? {
                let id = i64_(&r, "unit_id")?;
                let s = Money::from_yuan(opt_i64(&r, "s")?.unwrap_or(0));
                if let Some(u) = out.iter_mut().find(|u| u.unit.id == id) {
                    if planned {
                        u.planned = s;
                    } else {
                        u.completed = s;
                    }
                }
            }
        }
        Ok(out)
    }

    /// The battle map's selection: at most `max` projects of the filter in id order, each with
    /// its nodes; and the number of matching projects.
    pub async fn map_rows(&self, f: &ProjectFilter, max: u32, offset: u32) -> Result<(Vec<MapRow>, i64), StoreError> {
        // The page's ids first, then only those joined for their columns: a district's
        // 10,000 ids come from the division index alone, not 10,000 project rows sorted.
        let mut q = SqlBuf::new(LIST_COLUMNS);
        q.push(LIST_FROM).push(" WHERE p.id IN (SELECT p.id FROM projects p");
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id LIMIT ")
            .arg(max as i64)
            .push(" OFFSET ")
            .arg(offset as i64)
            .push(") ORDER BY p.id");
        let mut items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(list_item)
            .collect::<Result<Vec<_>, _>>()?;
        for chunk in items.chunks_mut(500) {
            self.attach_categories(chunk).await?;
        }
        let mut nodes: BTreeMap<i64, Vec<MapNode>> = BTreeMap::new();
        for chunk in items.chunks(500) {
            let mut nq = SqlBuf::new("SELECT project_id, name, planned_on, actual_on, status, light FROM nodes WHERE project_id IN ");
            nq.in_list(chunk.iter().map(|it| it.id)).push(" ORDER BY project_id, seq, id");
            for r in nq.query().fetch_all(&self.pool).await? {
                nodes.entry(i64_(&r, "project_id")?).or_default().push(MapNode {
                    name: text(&r, "name")?,
                    planned_on: date(&r, "planned_on")?,
                    actual_on: opt_date(&r, "actual_on")?,
                    status: text(&r, "status")?,
                    light: opt_text(&r, "light")?.as_deref().and_then(Light::from_code),
                });
            }
        }
        let rows = items
            .into_iter()
            .map(|p| MapRow {
                nodes: nodes.remove(&p.id).unwrap_or_default(),
                project: p,
            })
            .collect();
        let mut count = SqlBuf::new("SELECT COUNT(*) AS n FROM projects p");
        self.project_where(f, &mut count).await?;
        let total = i64_(&count.query().fetch_one(&self.pool).await?, "n")?;
        Ok((rows, total))
    }

    /// Projects (not terminated) of the filter by street/town.
    pub async fn division_counts(&self, f: &ProjectFilter) -> Result<Vec<DivisionCount>, StoreError> {
        let mut q = SqlBuf::new(&format!(
            "SELECT p.division_code, COUNT(*) AS n, {LIGHT_SUMS}, CAST(SUM(p.total_investment) AS BIGINT) AS inv FROM projects p"
        ));
        self.project_where(f, &mut q).await?;
        q.push(" AND p.stage <> 'terminated' GROUP BY p.division_code");
        q.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(DivisionCount {
                    code: opt_text(r, "division_code")?,
                    projects: i64_(r, "n")?,
                    red: i64_(r, "red")?,
                    yellow: i64_(r, "yellow")?,
                    green: i64_(r, "green")?,
                    investment: Money::from_yuan(opt_i64(r, "inv")?.unwrap_or(0)),
                })
            })
            .collect()
    }

    /// The year's figures as of the end of `month` (or of the year / the store's date when
    /// that comes first). Project counts by stage and light are today's.
    pub async fn year_figures_until(&self, year: i32, month: Option<u32>) -> Result<YearFigures, StoreError> {
        let mut inp = self.year_inputs(year).await?;
        let Some(month) = month.filter(|m| (1..=12).contains(m)) else {
            return Ok(year_figures(&inp));
        };
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let end = next.and_then(|d| d.pred_opt()).ok_or(StoreError::NotFound)?;
        if end >= inp.as_of {
            return Ok(year_figures(&inp));
        }
        inp.as_of = end;
        let upto = |d: Option<NaiveDate>| d.filter(|d| *d <= end);
        for c in &mut inp.categories {
            c.landed_on = c.landed_on.iter().map(|d| upto(*d)).collect();
        }
        inp.batches.retain(|b| b.held_on <= end);
        inp.campaigns.retain(|c| c.starts_on <= end);
        for c in &mut inp.campaigns {
            c.closed_on = c.closed_on.iter().map(|d| upto(*d)).collect();
        }
        inp.nodes = inp.nodes.iter().map(|(p, a)| (*p, upto(*a))).collect();
        inp.problems.retain(|(r, _)| *r <= end);
        let (start, end_s) = (format!("{year}-01-01"), end.to_string());
        let count = |sql: &'static str| {
            let (s, e) = (start.clone(), end_s.clone());
            async move { sqlx::query_scalar::<_, i64>(sql).bind(s).bind(e).fetch_one(&self.pool).await }
        };
        inp.enterprise_visits = count("SELECT COUNT(*) FROM enterprise_visits WHERE visited_on >= $1 AND visited_on <= $2").await? as u32;
        inp.supervision_rounds = count("SELECT COUNT(*) FROM supervision_rounds WHERE held_on >= $1 AND held_on <= $2").await? as u32;
        let completed: i64 =
            sqlx::query_scalar("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM monthly_investment WHERE year = $1 AND month <= $2")
                .bind(year as i64)
                .bind(month as i64)
                .fetch_one(&self.pool)
                .await?;
        inp.investment_completed = Money::from_yuan(completed);
        inp.fai = self.fai_until(year, month).await?;
        Ok(year_figures(&inp))
    }

    async fn fai_until(&self, year: i32, month: u32) -> Result<Option<FaiInput>, StoreError> {
        let district = self.setting("district_division").await?.unwrap_or_default();
        let province = self.setting("province_division").await?;
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(month) FROM fai_monthly WHERE division_code = $1 AND year = $2 AND month <= $3")
                .bind(&district)
                .bind(year as i64)
                .bind(month as i64)
                .fetch_one(&self.pool)
                .await?;
        let Some(m) = latest else { return Ok(None) };
        let cumulative = |division: String, y: i32| async move {
            let v: Option<i64> =
                sqlx::query_scalar("SELECT cumulative FROM fai_monthly WHERE division_code = $1 AND year = $2 AND month = $3")
                    .bind(division)
                    .bind(y as i64)
                    .bind(m)
                    .fetch_optional(&self.pool)
                    .await?;
            Ok::<_, StoreError>(v.map(Money::from_yuan))
        };
        let (Some(this_year), Some(last_year)) = (cumulative(district.clone(), year).await?, cumulative(district, year - 1).await?) else {
            return Ok(None);
        };
        let province = match province {
            Some(p) => cumulative(p.clone(), year).await?.zip(cumulative(p, year - 1).await?),
            None => None,
        };
        Ok(Some(FaiInput {
            month: m as u32,
            this_year,
            last_year,
            province,
        }))
    }
}
