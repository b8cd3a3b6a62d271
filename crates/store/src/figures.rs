//! Gathering the inputs of the year's figures (for the year, a division, or up to a month's
//! end) and the cockpit's ranking of units. The arithmetic is the domain's
//! (`zhantu_domain::figures`); this module only reads.

use crate::NamedRef;
use crate::rollup::in_division;
use crate::row::{LIGHT_SUMS, SqlBuf, date, i64_, named, opt_date, opt_i64, read_all, text};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashSet};
use zhantu_domain::figures::{BatchInput, CampaignInput, CategoryInput, FaiInput, Pct1, YearFigures, YearInputs, year_figures};
use zhantu_domain::{LandArea, Money};

/// The part of a year's inputs the roll-ups give.
#[derive(Default, Clone)]
struct RolledYear {
    /// The projects within the division.
    members: HashSet<i64>,
    landed: BTreeMap<i64, Vec<Option<NaiveDate>>>,
    nodes: Vec<(NaiveDate, Option<NaiveDate>)>,
    problems: Vec<(NaiveDate, Option<NaiveDate>)>,
    projects_planned: u32,
    investment_planned: i64,
    investment_completed: i64,
    stages: Vec<(String, u32)>,
    lights: Vec<(String, u32)>,
}

impl Store {
    /// The year's headline figures, as of the end of the year or the store's `as_of` date,
    /// whichever is earlier.
    pub async fn year_figures(&self, year: i32) -> Result<YearFigures, StoreError> {
        Ok(year_figures(&self.year_inputs(year).await?))
    }

    pub async fn year_inputs(&self, year: i32) -> Result<YearInputs, StoreError> {
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(StoreError::NotFound)?;
        self.year_inputs_at(year, self.as_of().await?.min(year_end)).await
    }

    /// The inputs as of a day within the year (a monthly report counts to its month's end).
    pub async fn year_inputs_at(&self, year: i32, as_of: NaiveDate) -> Result<YearInputs, StoreError> {
        self.year_inputs_in(year, as_of, None).await
    }

    /// The year's figures of the projects and problems within a division (a code prefix:
    /// `331002` a district, `3310` a city), as of the store's date.
    pub async fn division_figures(&self, year: i32, division: Option<&str>) -> Result<YearFigures, StoreError> {
        self.division_figures_within(year, division, None).await
    }

    /// [`Store::division_figures`] counting only the projects and problems of `units` (a unit
    /// reader's scope) when given.
    pub async fn division_figures_within(
        &self,
        year: i32,
        division: Option<&str>,
        units: Option<&[i64]>,
    ) -> Result<YearFigures, StoreError> {
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(StoreError::NotFound)?;
        let as_of = self.as_of().await?.min(year_end);
        Ok(year_figures(&self.year_inputs_within(year, as_of, division, units).await?))
    }

    /// The inputs within a division, if given. Project-level figures (landing, nodes,
    /// investment, stages, lights) and problems come from the in-memory roll-ups; batches
    /// and campaigns count their members within the division; the official FAI is the
    /// division's own when it is a district's code; visits, supervision rounds and the land
    /// ledger are the whole register's.
    pub async fn year_inputs_in(&self, year: i32, as_of: NaiveDate, division: Option<&str>) -> Result<YearInputs, StoreError> {
        self.year_inputs_within(year, as_of, division, None).await
    }

    /// [`Store::year_inputs_in`], counting only the projects and problems of `units` (a unit
    /// reader's scope) when given.
    async fn year_inputs_within(
        &self,
        year: i32,
        as_of: NaiveDate,
        division: Option<&str>,
        units: Option<&[i64]>,
    ) -> Result<YearInputs, StoreError> {
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(StoreError::NotFound)?;
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
        let as_of = as_of.min(year_end);
        let (start, end) = (year_start.to_string(), as_of.to_string());
        let last_month = if as_of < year_start { 0 } else { as_of.month() as i64 };
        let pool = &self.pool;

        let (district, province) = match division {
            Some(d) if d.len() == 6 => (d.to_string(), Some(format!("{}0000", &d[..2]))),
            _ => (
                self.setting("district_division").await?.unwrap_or_default(),
                self.setting("province_division").await?,
            ),
        };
        let fai = match division {
            Some(d) if d.len() != 6 => None,
            _ => self.fai_input(&district, province.as_deref(), year, last_month).await?,
        };
        let in_units = |unit: i64| units.is_none_or(|u| u.contains(&unit));
        let units_key = units.map(|u| u.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","));
        let key = format!(
            "year {year} {as_of} {last_month} {} {}",
            division.unwrap_or(""),
            units_key.unwrap_or_default()
        );
        let rolled = self
            .with_rollup_memo(key, |r| {
                let mut x = RolledYear::default();
                let mut stages: BTreeMap<String, u32> = BTreeMap::new();
                let mut lights: BTreeMap<String, u32> = BTreeMap::new();
                for (id, p) in &r.projects {
                    if !in_division(p.division.as_deref(), division) || !in_units(p.unit_id) {
                        continue;
                    }
                    if division.is_some() || units.is_some() {
                        x.members.insert(*id);
                    }
                    *stages.entry(p.stage.clone()).or_default() += 1;
                    if let Some(l) = &p.light
                        && p.stage != "terminated"
                    {
                        *lights.entry(l.clone()).or_default() += 1;
                    }
                    if p.planned_year == year {
                        x.projects_planned += 1;
                    }
                    let started = p.started_on.filter(|d| *d <= as_of);
                    for (_, cat) in p.categories.iter().filter(|(y, _)| *y == year) {
                        x.landed.entry(*cat).or_default().push(started);
                    }
                    x.investment_planned += p.plans.iter().filter(|(y, _)| *y == year).map(|(_, a)| a).sum::<i64>();
                    x.investment_completed += p
                        .investment
                        .iter()
                        .filter(|(y, m, _)| *y == year && (*m as i64) <= last_month)
                        .map(|(_, _, a)| a)
                        .sum::<i64>();
                    x.nodes
                        .extend(p.nodes.iter().filter(|(planned, _)| *planned >= year_start && *planned <= as_of));
                }
                for p in r.problems.values() {
                    if in_division(p.division.as_deref(), division)
                        && in_units(p.unit_id)
                        && p.raised_on >= year_start
                        && p.raised_on <= as_of
                    {
                        x.problems.push((p.raised_on, p.closed_on));
                    }
                }
                x.stages = stages.into_iter().collect();
                x.lights = lights.into_iter().collect();
                x
            })
            .await?;
        let RolledYear {
            members,
            mut landed,
            nodes,
            problems,
            projects_planned,
            investment_planned,
            investment_completed,
            stages,
            lights,
        } = rolled;
        let member = |id: i64| (division.is_none() && units.is_none()) || members.contains(&id);

        let mut categories = Vec::new();
        for r in sqlx::query(
            "SELECT c.id, c.code, c.name, c.tracks_landing, t.target_tenths FROM categories c \
             LEFT JOIN category_targets t ON t.category_id = c.id AND t.year = $1 ORDER BY c.sort_order, c.id",
        )
        .bind(year as i64)
        .fetch_all(pool)
        .await?
        {
            let id = i64_(&r, "id")?;
            categories.push(CategoryInput {
                code: text(&r, "code")?,
                name: text(&r, "name")?,
                tracks_landing: i64_(&r, "tracks_landing")? != 0,
                target: opt_i64(&r, "target_tenths")?.map(Pct1::from_tenths),
                landed_on: landed.remove(&id).unwrap_or_default(),
            });
        }

        let q = sqlx::query("SELECT id, name, level, held_on FROM batches WHERE held_on >= $1 AND held_on <= $2 ORDER BY held_on, id");
        let mut batches = read_all(q.bind(&start).bind(&end), pool, |r| {
            Ok(BatchInput {
                id: i64_(r, "id")?,
                name: text(r, "name")?,
                level: text(r, "level")?,
                held_on: date(r, "held_on")?,
                members: Vec::new(),
            })
        })
        .await?;
        for r in sqlx::query(
            "SELECT bp.batch_id, bp.project_id, p.total_investment, COALESCE(ap.planned_investment, 0) AS annual FROM batch_projects bp \
             JOIN batches b ON b.id = bp.batch_id JOIN projects p ON p.id = bp.project_id \
             LEFT JOIN annual_plans ap ON ap.project_id = p.id AND ap.year = $1 \
             WHERE b.held_on >= $2 AND b.held_on <= $3 ORDER BY bp.batch_id, bp.project_id",
        )
        .bind(year as i64)
        .bind(&start)
        .bind(&end)
        .fetch_all(pool)
        .await?
        {
            let id = i64_(&r, "batch_id")?;
            if !member(i64_(&r, "project_id")?) {
                continue;
            }
            if let Some(b) = batches.iter_mut().find(|b| b.id == id) {
                b.members.push((
                    Money::from_yuan(i64_(&r, "total_investment")?),
                    Money::from_yuan(i64_(&r, "annual")?),
                ));
            }
        }

        let q = sqlx::query(
            "SELECT id, name, starts_on, ends_on FROM campaigns WHERE starts_on >= $1 AND starts_on <= $2 ORDER BY starts_on, id",
        );
        let mut campaigns = read_all(q.bind(&start).bind(&end), pool, |r| {
            Ok(CampaignInput {
                id: i64_(r, "id")?,
                name: text(r, "name")?,
                starts_on: date(r, "starts_on")?,
                ends_on: date(r, "ends_on")?,
                closed_on: Vec::new(),
            })
        })
        .await?;
        for r in sqlx::query(
            "SELECT cn.campaign_id, n.project_id, n.status, n.actual_on FROM campaign_nodes cn JOIN nodes n ON n.id = cn.node_id ORDER BY cn.campaign_id, n.id",
        )
        .fetch_all(pool)
        .await?
        {
            let id = i64_(&r, "campaign_id")?;
            if !member(i64_(&r, "project_id")?) {
                continue;
            }
            if let Some(c) = campaigns.iter_mut().find(|c| c.id == id) {
                let closed = text(&r, "status")? == "closed";
                c.closed_on.push(if closed { opt_date(&r, "actual_on")?.filter(|d| *d <= as_of) } else { None });
            }
        }

        let count = |sql: &'static str| {
            let (s, e) = (start.clone(), end.clone());
            async move { sqlx::query_scalar::<_, i64>(sql).bind(s).bind(e).fetch_one(pool).await }
        };
        // The visits of the reader's units (a unit's staff see theirs, as the visits list does).
        let mut visits = SqlBuf::new("SELECT COUNT(*) AS n FROM enterprise_visits v WHERE v.visited_on >= ");
        visits.arg(start.clone()).push(" AND v.visited_on <= ").arg(end.clone());
        if let Some(units) = units {
            visits.push(" AND v.unit_id IN ").in_list(units.iter().copied());
        }
        let enterprise_visits = i64_(&visits.query().fetch_one(pool).await?, "n")? as u32;
        let supervision_rounds = count("SELECT COUNT(*) FROM supervision_rounds WHERE held_on >= $1 AND held_on <= $2").await? as u32;
        let mut land = BTreeMap::new();
        for r in sqlx::query("SELECT kind, CAST(SUM(area_centi_mu) AS BIGINT) AS a FROM land_ledger WHERE entry_on <= $1 GROUP BY kind")
            .bind(&end)
            .fetch_all(pool)
            .await?
        {
            land.insert(text(&r, "kind")?, i64_(&r, "a")?);
        }
        let granted = land.get("grant").copied().unwrap_or(0);
        let allocated = land.get("allocation").copied().unwrap_or(0) - land.get("release").copied().unwrap_or(0);

        Ok(YearInputs {
            year,
            as_of,
            fai,
            categories,
            batches,
            campaigns,
            nodes,
            problems,
            enterprise_visits,
            supervision_rounds,
            projects_planned,
            investment_planned: Money::from_yuan(investment_planned),
            investment_completed: Money::from_yuan(investment_completed),
            stages,
            lights,
            land_granted: LandArea::from_centi_mu(granted),
            land_allocated: LandArea::from_centi_mu(allocated),
        })
    }

    async fn fai_input(&self, district: &str, province: Option<&str>, year: i32, last_month: i64) -> Result<Option<FaiInput>, StoreError> {
        let month: Option<i64> =
            sqlx::query_scalar("SELECT MAX(month) FROM fai_monthly WHERE division_code = $1 AND year = $2 AND month <= $3")
                .bind(district)
                .bind(year as i64)
                .bind(last_month)
                .fetch_one(&self.pool)
                .await?;
        let Some(month) = month else { return Ok(None) };
        let pair = |division: String| async move {
            let this = self.fai_cumulative(&division, year, month).await?;
            let last = self.fai_cumulative(&division, year - 1, month).await?;
            Ok::<_, StoreError>(this.zip(last))
        };
        let Some((this_year, last_year)) = pair(district.to_string()).await? else {
            return Ok(None);
        };
        let province = match province {
            Some(p) => pair(p.to_string()).await?,
            None => None,
        };
        Ok(Some(FaiInput {
            month: month as u32,
            this_year,
            last_year,
            province,
        }))
    }

    async fn fai_cumulative(&self, division: &str, year: i32, month: i64) -> Result<Option<Money>, StoreError> {
        let v: Option<i64> = sqlx::query_scalar("SELECT cumulative FROM fai_monthly WHERE division_code = $1 AND year = $2 AND month = $3")
            .bind(division)
            .bind(year as i64)
            .bind(month)
            .fetch_optional(&self.pool)
            .await?;
        Ok(v.map(Money::from_yuan))
    }
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

fn push_scope(q: &mut SqlBuf, within: Option<&[i64]>) {
    if let Some(scope) = within {
        q.push(" AND p.unit_id IN ").in_list(scope.iter().copied());
    }
}

impl Store {
    /// Every unit with projects (not terminated): counts, lights, and the year's investment
    /// planned and completed up to `month`. `within` limits to a reader's units.
    /// `light_month`: the lights of that month (its first day) from the light history,
    /// instead of today's.
    pub async fn unit_ranking(
        &self,
        year: i32,
        month: u32,
        within: Option<&[i64]>,
        light_month: Option<NaiveDate>,
    ) -> Result<Vec<UnitRank>, StoreError> {
        // Grouped on `projects` alone, then named: joining first makes the grouping sort.
        let mut q = match light_month {
            None => SqlBuf::new(&format!(
                "SELECT g.unit_id, u.name AS unit_name, g.n, g.red, g.yellow, g.green FROM (SELECT p.unit_id, COUNT(*) AS n, {LIGHT_SUMS} \
                 FROM projects p WHERE p.stage <> 'terminated'"
            )),
            Some(m) => {
                let mut q = SqlBuf::new(
                    "SELECT g.unit_id, u.name AS unit_name, g.n, g.red, g.yellow, g.green FROM (SELECT p.unit_id, COUNT(*) AS n, \
                     CAST(SUM(CASE WHEN ls.light = 'red' THEN 1 ELSE 0 END) AS BIGINT) AS red, \
                     CAST(SUM(CASE WHEN ls.light = 'yellow' THEN 1 ELSE 0 END) AS BIGINT) AS yellow, \
                     CAST(SUM(CASE WHEN ls.light = 'green' THEN 1 ELSE 0 END) AS BIGINT) AS green \
                     FROM projects p LEFT JOIN light_snapshots ls ON ls.project_id = p.id AND ls.period_kind = 'month' AND ls.period_start = ",
                );
                q.arg(m.to_string()).push(" WHERE p.stage <> 'terminated'");
                q
            }
        };
        push_scope(&mut q, within);
        q.push(" GROUP BY p.unit_id) g JOIN units u ON u.id = g.unit_id");
        let mut out: Vec<UnitRank> = Vec::new();
        for r in q.query().fetch_all(&self.pool).await? {
            out.push(UnitRank {
                unit: named(&r, "unit_id", "unit_name")?,
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

    /// The cockpit's figures: the year up to the end of `month` (the whole year without),
    /// as of that day or the data date, whichever is earlier; only the projects and problems
    /// of `units` when given (a unit reader's). Lights are today's when the period reaches the
    /// data date, else those the light history kept for the period's last month; a period
    /// that has not begun, or a month the history does not hold, has none.
    pub async fn period_figures(&self, year: i32, month: Option<u32>, units: Option<&[i64]>) -> Result<PeriodFigures, StoreError> {
        let data_day = self.as_of().await?;
        let end = period_end(year, month).ok_or(StoreError::NotFound)?;
        let as_of = data_day.min(end);
        let mut inp = self.year_inputs_within(year, as_of, None, units).await?;
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
        let light_month = (as_of < data_day).then(|| as_of.with_day(1)).flatten();
        let lights_known = if as_of < year_start {
            inp.lights.clear();
            false
        } else if let Some(m) = light_month {
            inp.lights = self.month_lights(m, units).await?;
            !inp.lights.is_empty()
        } else {
            true
        };
        Ok(PeriodFigures {
            figures: year_figures(&inp),
            light_month,
            lights_known,
        })
    }

    /// (light, projects) of the light history's rows of a month (its first day).
    async fn month_lights(&self, month: NaiveDate, units: Option<&[i64]>) -> Result<Vec<(String, u32)>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT ls.light, COUNT(*) AS n FROM light_snapshots ls JOIN projects p ON p.id = ls.project_id \
             WHERE ls.period_kind = 'month' AND ls.period_start = ",
        );
        q.arg(month.to_string());
        push_scope(&mut q, units);
        q.push(" GROUP BY ls.light ORDER BY ls.light");
        let mut out = Vec::new();
        for r in q.query().fetch_all(&self.pool).await? {
            out.push((text(&r, "light")?, i64_(&r, "n")? as u32));
        }
        Ok(out)
    }
}

/// The last day of the year, or of `month` in it.
pub fn period_end(year: i32, month: Option<u32>) -> Option<NaiveDate> {
    let (y, m) = match month {
        None | Some(12) => (year + 1, 1),
        Some(m) if (1..12).contains(&m) => (year, m + 1),
        Some(_) => return None,
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// A period's figures with where their lights come from.
#[derive(Debug, Clone)]
pub struct PeriodFigures {
    pub figures: YearFigures,
    /// The month (its first day) whose light history the lights are; `None`: today's lights.
    pub light_month: Option<NaiveDate>,
    /// Are there lights for the period at all?
    pub lights_known: bool,
}
