//! The reports of the cadence: gathering each report's inputs for a period (the models and
//! their arithmetic are the domain's, `zhantu_domain::cadence`), issuing a report (frozen with
//! the data version it came from, audited) and the versioned weights of the quarterly
//! evaluation.

use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_date, opt_text, read_all, text};
use crate::writes::now;
use crate::{Store, StoreError};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhantu_domain::Money;
use zhantu_domain::cadence::{
    self, EvaluationWeights, GroupInvestment, Header, LaggingProject, Lang, MonthlyInputs, NodeDue, OpenProblem, QuarterlyInputs,
    RedProject, Report, ReportKind, ReportPeriod, SupervisionInputs, SupervisionRoundInput, UnitMeasures, WeekEvent, WeeklyInputs,
};
use zhantu_domain::figures::year_figures;

/// The state of the data a report was computed from: the last audit entry that changed data
/// (issuing reports, audited as `cadence.issue`, is left out: issuing twice is no change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataVersion {
    pub seq: i64,
    pub hash: String,
}

/// A published weight set of the quarterly evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct WeightSet {
    pub version: i64,
    pub weights: EvaluationWeights,
    pub created_at: String,
    pub created_by: String,
}

/// An issued report as listed.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedSummary {
    pub id: i64,
    pub kind: ReportKind,
    pub period: String,
    pub year: i64,
    pub issue_no: i64,
    pub title: String,
    /// The title in English: the English report's, or for an issue frozen before reports had
    /// an English form, made from its kind and district as the English report's is.
    pub title_en: String,
    pub issued_at: String,
    pub issued_by: String,
    pub data_version: DataVersion,
}

/// An issued report with its frozen model, in Chinese (the official document) and in English
/// (frozen beside it since reports have an English form; reports issued before have none).
#[derive(Debug, Clone, Serialize)]
pub struct IssuedReport {
    #[serde(flatten)]
    pub summary: IssuedSummary,
    pub report: Report,
    pub report_en: Option<Report>,
}

impl IssuedReport {
    /// The frozen report in `lang`: the English one when frozen, else the Chinese one (and
    /// `false`: no English was frozen with this issue).
    pub fn in_lang(&self, lang: Lang) -> (&Report, bool) {
        match (lang, &self.report_en) {
            (Lang::En, Some(en)) => (en, true),
            (Lang::En, None) => (&self.report, false),
            (Lang::Zh, _) => (&self.report, true),
        }
    }
}

/// What `issued_reports.content_json` holds: both languages, or (issued before there was an
/// English report) the Chinese model alone.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Frozen {
    Both { zh: Report, en: Report },
    Chinese(Report),
}

/// Per project: its unit, the year's plan and the investment completed to a month.
struct ProjectMoney {
    unit_id: i64,
    planned: Money,
    completed: Money,
}

fn reasons(r: &sqlx::any::AnyRow) -> Result<Vec<String>, StoreError> {
    if let Some(list) = opt_text(r, "light_reasons")?.and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok()) {
        if !list.is_empty() {
            return Ok(list);
        }
    }
    Ok(opt_text(r, "light_reason")?.into_iter().collect())
}

impl Store {
    /// The data version now.
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        let r = sqlx::query("SELECT id, hash FROM audit_log WHERE action NOT LIKE 'cadence.%' ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match r {
            Some(r) => DataVersion {
                seq: i64_(&r, "id")?,
                hash: text(&r, "hash")?,
            },
            None => DataVersion {
                seq: 0,
                hash: String::new(),
            },
        })
    }

    async fn report_header(&self, end: NaiveDate) -> Result<Header, StoreError> {
        let district = self.setting("district_name").await?.unwrap_or_else(|| "本区".into());
        Ok(Header {
            office: format!("{district}重大项目建设工作领导小组办公室"),
            district,
            as_of: self.as_of().await?.min(end),
        })
    }

    /// Builds the report of a period in `lang` from the data as it is now (a draft, without
    /// issue number).
    pub async fn build_report(&self, period: ReportPeriod, lang: Lang) -> Result<Report, StoreError> {
        Ok(self.build_reports(period, &[lang]).await?.remove(0))
    }

    /// Builds the report of a period in each of `langs` from one reading of the data.
    pub async fn build_reports(&self, period: ReportPeriod, langs: &[Lang]) -> Result<Vec<Report>, StoreError> {
        let (_, end) = period.bounds();
        let h = self.report_header(end).await?;
        Ok(match period.kind {
            ReportKind::Weekly => {
                let i = self.weekly_inputs(period).await?;
                langs.iter().map(|l| cadence::weekly(*l, period, &h, &i)).collect()
            }
            ReportKind::Monthly => {
                let i = self.monthly_inputs(period, h.as_of).await?;
                langs.iter().map(|l| cadence::monthly(*l, period, &h, &i)).collect()
            }
            ReportKind::Supervision => {
                let i = self.supervision_inputs(period, h.as_of).await?;
                langs.iter().map(|l| cadence::supervision(*l, period, &h, &i)).collect()
            }
            ReportKind::Quarterly => {
                let i = self.quarterly_inputs(period, h.as_of).await?;
                langs.iter().map(|l| cadence::quarterly(*l, period, &h, &i)).collect()
            }
        })
    }

    async fn weekly_inputs(&self, period: ReportPeriod) -> Result<WeeklyInputs, StoreError> {
        let (start, end) = period.bounds();
        let (s, e) = (start.to_string(), end.to_string());
        let pool = &self.pool;
        let fell_due: BTreeSet<i64> =
            sqlx::query_scalar("SELECT DISTINCT project_id FROM nodes WHERE planned_on >= $1 AND planned_on <= $2 AND status <> 'closed'")
                .bind(&s)
                .bind(&e)
                .fetch_all(pool)
                .await?
                .into_iter()
                .collect();
        let mut reds = Vec::new();
        for r in sqlx::query(
            "SELECT p.id, p.name, u.name AS unit_name, pe.name AS leader_name, p.light_reason, p.light_reasons, p.light_reasons_en FROM projects p \
             JOIN units u ON u.id = p.unit_id LEFT JOIN people pe ON pe.id = p.leader_id \
             WHERE p.light = 'red' AND p.stage <> 'terminated' ORDER BY u.sort_order, u.id, p.id",
        )
        .fetch_all(pool)
        .await?
        {
            reds.push(RedProject {
                project: text(&r, "name")?,
                unit: text(&r, "unit_name")?,
                leader: opt_text(&r, "leader_name")?.unwrap_or_default(),
                reasons: reasons(&r)?,
                reasons_en: opt_text(&r, "light_reasons_en")?
                    .and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok())
                    .unwrap_or_default(),
                new_this_week: fell_due.contains(&i64_(&r, "id")?),
            });
        }
        let nodes = |from: NaiveDate, to: NaiveDate| async move {
            let q = sqlx::query(
                "SELECT p.name AS project_name, n.name, u.name AS unit_name, n.planned_on, n.actual_on, n.status FROM nodes n \
                 JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id \
                 WHERE n.planned_on >= $1 AND n.planned_on <= $2 ORDER BY n.planned_on, n.id",
            )
            .bind(from.to_string())
            .bind(to.to_string());
            read_all(q, pool, |r| {
                let status = text(r, "status")?;
                Ok(NodeDue {
                    project: text(r, "project_name")?,
                    node: text(r, "name")?,
                    unit: text(r, "unit_name")?,
                    planned_on: date(r, "planned_on")?,
                    actual_on: if status == "closed" { opt_date(r, "actual_on")? } else { None },
                    status,
                })
            })
            .await
        };
        let due_this_week = nodes(start, end).await?;
        let due_next_week = nodes(end + Duration::days(1), end + Duration::days(7)).await?;
        let q = sqlx::query(
            "SELECT pr.category, pr.description, p.name AS project_name, u.name AS unit_name, pr.raised_on, pr.deadline, pr.escalation_level \
             FROM problems pr JOIN units u ON u.id = pr.unit_id LEFT JOIN projects p ON p.id = pr.project_id \
             WHERE pr.raised_on <= $1 AND (pr.closed_on IS NULL OR pr.closed_on > $1) ORDER BY pr.deadline, pr.id",
        )
        .bind(&e);
        let open_problems = read_all(q, pool, |r| {
            Ok(OpenProblem {
                category: text(r, "category")?,
                description: text(r, "description")?,
                project: opt_text(r, "project_name")?.unwrap_or_default(),
                unit: text(r, "unit_name")?,
                raised_on: date(r, "raised_on")?,
                deadline: date(r, "deadline")?,
                escalation_level: i64_(r, "escalation_level")?,
            })
        })
        .await?;
        let count = |sql: &'static str| {
            let (s, e) = (s.clone(), e.clone());
            async move { sqlx::query_scalar::<_, i64>(sql).bind(s).bind(e).fetch_one(pool).await }
        };
        let raised = count("SELECT COUNT(*) FROM problems WHERE raised_on >= $1 AND raised_on <= $2").await?;
        let closed = count("SELECT COUNT(*) FROM problems WHERE closed_on >= $1 AND closed_on <= $2").await?;
        let reports = count("SELECT COUNT(*) FROM progress_reports WHERE submitted_on >= $1 AND submitted_on <= $2").await?;
        let mut events = Vec::new();
        for (sql, what) in [
            (
                "SELECT held_on AS d, name FROM supervision_rounds WHERE held_on >= $1 AND held_on <= $2",
                WeekEvent::Supervision,
            ),
            (
                "SELECT held_on AS d, name FROM batches WHERE held_on >= $1 AND held_on <= $2",
                WeekEvent::Batch,
            ),
            (
                "SELECT starts_on AS d, name FROM campaigns WHERE starts_on >= $1 AND starts_on <= $2",
                WeekEvent::CampaignStart,
            ),
            (
                "SELECT ends_on AS d, name FROM campaigns WHERE ends_on >= $1 AND ends_on <= $2",
                WeekEvent::CampaignEnd,
            ),
        ] {
            for r in sqlx::query(sql).bind(&s).bind(&e).fetch_all(pool).await? {
                events.push((date(&r, "d")?, what, text(&r, "name")?));
            }
        }
        // In the order of the Chinese lines (date, then what and name as written).
        events.sort_by_cached_key(|(d, what, name)| (*d, format!("{}：{name}", what.label(Lang::Zh))));
        let leads = self.lead_clock_items_at(None, None, end).await?;
        let overdue_lead_clocks = zhantu_domain::lead_clocks::overdue_counts(leads.iter().map(|l| &l.clocks));
        let field_work = {
            use zhantu_domain::field_work::{week_start, week_summary, weekly_tallies};
            let monday = week_start(start);
            let leaders = self.field_work_leaders().await?;
            let rules: Vec<_> = leaders.iter().map(|l| (l.person_id, l.rule)).collect();
            let visits = self.field_work_visits(monday, monday + Duration::days(6)).await?;
            let tallies = weekly_tallies(&self.calendar().await?, &rules, &visits, monday, monday, end);
            week_summary(&tallies, monday)
        };
        Ok(WeeklyInputs {
            reds,
            due_this_week,
            due_next_week,
            open_problems,
            problems_raised_in_week: raised as u32,
            problems_closed_in_week: closed as u32,
            progress_reports_in_week: reports as u32,
            events,
            overdue_lead_clocks,
            field_work,
        })
    }

    /// Each project's unit, the year's plan and its investment completed to `month`.
    async fn project_money(&self, year: i32, month: u32) -> Result<BTreeMap<i64, ProjectMoney>, StoreError> {
        let mut out = BTreeMap::new();
        for r in sqlx::query(
            "SELECT p.id, p.unit_id, ap.planned_investment FROM annual_plans ap JOIN projects p ON p.id = ap.project_id WHERE ap.year = $1",
        )
        .bind(year as i64)
        .fetch_all(&self.pool)
        .await?
        {
            out.insert(
                i64_(&r, "id")?,
                ProjectMoney {
                    unit_id: i64_(&r, "unit_id")?,
                    planned: Money::from_yuan(i64_(&r, "planned_investment")?),
                    completed: Money::ZERO,
                },
            );
        }
        for r in sqlx::query(
            "SELECT mi.project_id, p.unit_id, CAST(SUM(mi.amount) AS BIGINT) AS done FROM monthly_investment mi \
             JOIN projects p ON p.id = mi.project_id WHERE mi.year = $1 AND mi.month <= $2 GROUP BY mi.project_id, p.unit_id",
        )
        .bind(year as i64)
        .bind(month as i64)
        .fetch_all(&self.pool)
        .await?
        {
            let e = out.entry(i64_(&r, "project_id")?).or_insert(ProjectMoney {
                unit_id: i64_(&r, "unit_id")?,
                planned: Money::ZERO,
                completed: Money::ZERO,
            });
            e.completed = Money::from_yuan(i64_(&r, "done")?);
        }
        Ok(out)
    }

    /// (id, name) of units in their display order.
    async fn report_units(&self) -> Result<Vec<(i64, String)>, StoreError> {
        read_all(sqlx::query("SELECT id, name FROM units ORDER BY sort_order, id"), &self.pool, |r| {
            Ok((i64_(r, "id")?, text(r, "name")?))
        })
        .await
    }

    async fn monthly_inputs(&self, period: ReportPeriod, as_of: NaiveDate) -> Result<MonthlyInputs, StoreError> {
        let year = period.year;
        let month = if as_of.year() < year { 0 } else { as_of.month().min(period.number) };
        let figures = year_figures(&self.year_inputs_at(year, as_of).await?);
        let money = self.project_money(year, month).await?;
        let units = self.report_units().await?;
        let group = |name: String, ids: &mut dyn Iterator<Item = &ProjectMoney>| {
            let mut g = GroupInvestment {
                name,
                projects: 0,
                planned: Money::ZERO,
                completed: Money::ZERO,
            };
            for p in ids {
                g.projects += 1;
                g.planned = g.planned + p.planned;
                g.completed = g.completed + p.completed;
            }
            g
        };
        let by_unit = units
            .iter()
            .map(|(id, name)| group(name.clone(), &mut money.values().filter(|p| p.unit_id == *id)))
            .filter(|g| g.projects > 0)
            .collect();
        let mut members: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for r in sqlx::query("SELECT category_id, project_id FROM project_categories WHERE year = $1")
            .bind(year as i64)
            .fetch_all(&self.pool)
            .await?
        {
            members.entry(i64_(&r, "category_id")?).or_default().push(i64_(&r, "project_id")?);
        }
        let mut by_category = Vec::new();
        for r in sqlx::query("SELECT id, name FROM categories ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
        {
            let ids = members.remove(&i64_(&r, "id")?).unwrap_or_default();
            let g = group(text(&r, "name")?, &mut ids.iter().filter_map(|id| money.get(id)));
            if g.projects > 0 {
                by_category.push(g);
            }
        }
        let mut monthly_completed = vec![Money::ZERO; month as usize];
        for r in sqlx::query(
            "SELECT month, CAST(SUM(amount) AS BIGINT) AS done FROM monthly_investment WHERE year = $1 AND month <= $2 GROUP BY month",
        )
        .bind(year as i64)
        .bind(month as i64)
        .fetch_all(&self.pool)
        .await?
        {
            let m = i64_(&r, "month")? as usize;
            if (1..=month as usize).contains(&m) {
                monthly_completed[m - 1] = Money::from_yuan(i64_(&r, "done")?);
            }
        }
        let (ys, ye) = (
            NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"),
            NaiveDate::from_ymd_opt(year, 12, 31).expect("valid"),
        );
        let starts = sqlx::query("SELECT started_on FROM projects WHERE planned_start_on >= $1 AND planned_start_on <= $2")
            .bind(ys.to_string())
            .bind(ye.to_string())
            .fetch_all(&self.pool)
            .await?;
        let mut starts_done = 0;
        for r in &starts {
            if opt_date(r, "started_on")?.is_some_and(|d| d <= as_of) {
                starts_done += 1;
            }
        }
        let funnel = self.lead_funnel(None).await?;
        let rated = self.confidence_of_month(&format!("{year:04}-{:02}", period.number), None).await?;
        let rated_by_unit = zhantu_domain::confidence::disagreement_by_unit(&rated);
        // In the report's order of units.
        let confidence = units
            .iter()
            .filter_map(|(id, name)| rated_by_unit.iter().find(|u| u.unit_id == *id).map(|u| (name.clone(), u.clone())))
            .collect();
        let statistics = match crate::statistics::month_end(year, month) {
            Some(end) if month > 0 => Some(self.statistics_summary(year, month, end.min(as_of)).await?),
            _ => None,
        };
        let rows = self.results_rows(None).await?;
        let promised: Vec<_> = rows
            .iter()
            .filter_map(|r| Some((r.promise.as_ref()?, r.years.as_slice())))
            .collect();
        let results = zhantu_domain::results::summary(year, &promised);
        let field_work = match crate::statistics::month_end(year, month) {
            Some(end) if month > 0 => {
                use zhantu_domain::field_work::{compliance, week_start, weekly_tallies};
                let first = chrono::NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(end);
                let monday = week_start(first + Duration::days(6));
                let leaders = self.field_work_leaders().await?;
                let rules: Vec<_> = leaders.iter().map(|l| (l.person_id, l.rule)).collect();
                let visits = self.field_work_visits(monday, end + Duration::days(6)).await?;
                let tallies = weekly_tallies(&self.calendar().await?, &rules, &visits, monday, end, as_of);
                Some(compliance(&tallies, None))
            }
            _ => None,
        };
        Ok(MonthlyInputs {
            year: figures,
            by_unit,
            by_category,
            monthly_completed,
            starts_planned: starts.len() as u32,
            starts_done,
            attraction: funnel.total,
            attraction_by_team: funnel.by_team,
            confidence,
            statistics,
            results,
            field_work,
        })
    }

    async fn supervision_inputs(&self, period: ReportPeriod, as_of: NaiveDate) -> Result<SupervisionInputs, StoreError> {
        let (start, end) = period.bounds();
        let month = if as_of < start { start.month() } else { as_of.month() };
        let money = self.project_money(period.year, month).await?;
        let mut findings: HashMap<i64, Vec<String>> = HashMap::new();
        let mut rounds = Vec::new();
        for r in sqlx::query(
            "SELECT sr.id, sr.name, pe.name AS leader_name, sr.held_on, sr.summary, \
             (SELECT COUNT(*) FROM supervision_targets st WHERE st.round_id = sr.id) AS targets \
             FROM supervision_rounds sr JOIN people pe ON pe.id = sr.leader_id WHERE sr.held_on >= $1 AND sr.held_on <= $2 ORDER BY sr.held_on, sr.id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?
        {
            rounds.push(SupervisionRoundInput {
                name: text(&r, "name")?,
                leader: text(&r, "leader_name")?,
                held_on: date(&r, "held_on")?,
                targets: i64_(&r, "targets")? as u32,
                summary: text(&r, "summary")?,
            });
        }
        for r in sqlx::query(
            "SELECT st.project_id, st.finding FROM supervision_targets st JOIN supervision_rounds sr ON sr.id = st.round_id \
             WHERE sr.held_on >= $1 AND sr.held_on <= $2 AND st.finding <> '' ORDER BY sr.held_on",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?
        {
            findings.entry(i64_(&r, "project_id")?).or_default().push(text(&r, "finding")?);
        }
        let mut lagging = Vec::new();
        let mut active = 0;
        for r in sqlx::query(
            "SELECT p.id, p.name, p.light, p.light_reason, p.light_reasons, u.name AS unit_name, pe.name AS leader_name FROM projects p \
             JOIN units u ON u.id = p.unit_id LEFT JOIN people pe ON pe.id = p.leader_id \
             WHERE p.stage IN ('preparation', 'started', 'construction') AND p.paused = 0 ORDER BY u.sort_order, u.id, p.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            active += 1;
            let id = i64_(&r, "id")?;
            let light = opt_text(&r, "light")?;
            let (planned, completed) = money
                .get(&id)
                .map(|m| (m.planned, m.completed))
                .unwrap_or((Money::ZERO, Money::ZERO));
            if !cadence::is_lagging(light.as_deref(), planned, completed, month) {
                continue;
            }
            lagging.push(LaggingProject {
                project: text(&r, "name")?,
                unit: text(&r, "unit_name")?,
                leader: opt_text(&r, "leader_name")?.unwrap_or_default(),
                light,
                reasons: reasons(&r)?,
                planned,
                completed,
                findings: findings.remove(&id).unwrap_or_default(),
            });
        }
        // Red first, then the furthest behind.
        lagging.sort_by_key(|l| {
            let rate = (l.completed.yuan() as i128 * 1000)
                .checked_div(l.planned.yuan() as i128)
                .unwrap_or(0);
            (l.light.as_deref() != Some("red"), rate)
        });
        Ok(SupervisionInputs {
            lagging,
            active_projects: active,
            rounds,
        })
    }

    async fn quarterly_inputs(&self, period: ReportPeriod, as_of: NaiveDate) -> Result<QuarterlyInputs, StoreError> {
        let (start, end) = period.bounds();
        let year = period.year;
        let weights = self.evaluation_weights().await?;
        let month = if as_of < start { start.month() } else { as_of.month() };
        let money = self.project_money(year, month).await?;
        let mut units: BTreeMap<i64, UnitMeasures> = BTreeMap::new();
        let names = self.report_units().await?;
        let order: HashMap<i64, usize> = names.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
        let name_of: HashMap<i64, String> = names.into_iter().collect();
        fn entry<'a>(units: &'a mut BTreeMap<i64, UnitMeasures>, names: &HashMap<i64, String>, id: i64) -> &'a mut UnitMeasures {
            units.entry(id).or_insert_with(|| UnitMeasures {
                unit: names.get(&id).cloned().unwrap_or_default(),
                nodes: Vec::new(),
                planned: Money::ZERO,
                completed: Money::ZERO,
                landing_targeted: 0,
                landing_landed: 0,
                problems: Vec::new(),
                reports_expected: 0,
                reports_on_time: 0,
            })
        }
        // Units with a plan this year take part.
        for m in money.values() {
            let u = entry(&mut units, &name_of, m.unit_id);
            u.planned = u.planned + m.planned;
            u.completed = u.completed + m.completed;
        }
        let taking_part: BTreeSet<i64> = units.keys().copied().collect();
        for r in sqlx::query(
            "SELECT p.unit_id, n.planned_on, n.actual_on, n.status FROM nodes n JOIN projects p ON p.id = n.project_id \
             WHERE n.planned_on >= $1 AND n.planned_on <= $2",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?
        {
            let id = i64_(&r, "unit_id")?;
            if taking_part.contains(&id) {
                let closed = text(&r, "status")? == "closed";
                let actual = if closed {
                    opt_date(&r, "actual_on")?.filter(|d| *d <= as_of)
                } else {
                    None
                };
                entry(&mut units, &name_of, id).nodes.push((date(&r, "planned_on")?, actual));
            }
        }
        for r in sqlx::query(
            "SELECT DISTINCT p.id, p.unit_id, p.started_on FROM project_categories pc JOIN categories c ON c.id = pc.category_id \
             JOIN projects p ON p.id = pc.project_id WHERE pc.year = $1 AND c.tracks_landing = 1",
        )
        .bind(year as i64)
        .fetch_all(&self.pool)
        .await?
        {
            let id = i64_(&r, "unit_id")?;
            if taking_part.contains(&id) {
                let landed = opt_date(&r, "started_on")?.is_some_and(|d| d.year() == year && d <= as_of);
                let u = entry(&mut units, &name_of, id);
                u.landing_targeted += 1;
                u.landing_landed += landed as u32;
            }
        }
        let year_start = NaiveDate::from_ymd_opt(year, 1, 1).expect("valid");
        for r in sqlx::query("SELECT unit_id, raised_on, closed_on FROM problems WHERE raised_on >= $1 AND raised_on <= $2")
            .bind(year_start.to_string())
            .bind(end.to_string())
            .fetch_all(&self.pool)
            .await?
        {
            let id = i64_(&r, "unit_id")?;
            if taking_part.contains(&id) {
                entry(&mut units, &name_of, id)
                    .problems
                    .push((date(&r, "raised_on")?, opt_date(&r, "closed_on")?));
            }
        }
        // Reporting timeliness: the late-submission tracking's monthly record over the quarter
        // (deadlines from the rule set's 填报 rule); reports not yet due do not count.
        let timeliness = self
            .reporting_timeliness(zhantu_domain::model::ReportPeriod::Month, start, end)
            .await?;
        for u in &timeliness.units {
            let r = &u.record;
            if taking_part.contains(&r.unit_id) {
                let m = entry(&mut units, &name_of, r.unit_id);
                m.reports_expected += r.expected - r.pending;
                m.reports_on_time += r.on_time;
            }
        }
        let mut list: Vec<(i64, UnitMeasures)> = units.into_iter().collect();
        list.sort_by_key(|(id, _)| order.get(id).copied().unwrap_or(usize::MAX));
        // Results after operation as of the quarter's year, statistics entry at its end.
        let rows = self.results_rows(None).await?;
        let promised: Vec<_> = rows
            .iter()
            .filter_map(|r| Some((r.promise.as_ref()?, r.years.as_slice())))
            .collect();
        let (mut tax, mut land) = (0i64, 0i64);
        for r in &rows {
            if let (Some(l), Some(y)) = (r.land.filter(|l| l.centi_mu() > 0), r.years.iter().find(|y| y.year == year)) {
                tax += y.tax.yuan();
                land += l.centi_mu();
            }
        }
        let entry_summary = self.statistics_summary(year, end.month(), end.min(as_of)).await?;
        let outcomes = zhantu_domain::cadence::QuarterOutcomes {
            results: zhantu_domain::results::summary(year, &promised),
            tax_per_mu: zhantu_domain::results::per_mu(
                Money::from_yuan(tax),
                (land > 0).then(|| zhantu_domain::LandArea::from_centi_mu(land)),
            ),
            not_in_statistics: entry_summary.due_not_in,
            not_in_statistics_red: entry_summary.red,
        };
        Ok(QuarterlyInputs {
            weights: weights.weights,
            weights_version: weights.version as u32,
            report_deadline: timeliness.deadline.clone(),
            report_deadline_en: zhantu_domain::deadlines::ReportingDeadlines::from_rules(&self.rule_set().await?)
                .rule(zhantu_domain::model::ReportPeriod::Month)
                .describe_en(),
            units: list.into_iter().map(|(_, u)| u).collect(),
            outcomes: Some(outcomes),
        })
    }

    /// The published weights now in force (the newest version).
    pub async fn evaluation_weights(&self) -> Result<WeightSet, StoreError> {
        let r = sqlx::query("SELECT version, weights_json, created_at, created_by FROM evaluation_weights ORDER BY version DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = r else {
            return Ok(WeightSet {
                version: 0,
                weights: EvaluationWeights::default(),
                created_at: String::new(),
                created_by: String::new(),
            });
        };
        let raw = text(&r, "weights_json")?;
        Ok(WeightSet {
            version: i64_(&r, "version")?,
            weights: serde_json::from_str(&raw).map_err(|_| StoreError::Corrupt(format!("evaluation_weights = {raw}")))?,
            created_at: text(&r, "created_at")?,
            created_by: text(&r, "created_by")?,
        })
    }

    /// Every published version, newest first.
    pub async fn evaluation_weight_history(&self) -> Result<Vec<WeightSet>, StoreError> {
        read_all(
            sqlx::query("SELECT version, weights_json, created_at, created_by FROM evaluation_weights ORDER BY version DESC"),
            &self.pool,
            |r| {
                let raw = text(r, "weights_json")?;
                Ok(WeightSet {
                    version: i64_(r, "version")?,
                    weights: serde_json::from_str(&raw).map_err(|_| StoreError::Corrupt(format!("evaluation_weights = {raw}")))?,
                    created_at: text(r, "created_at")?,
                    created_by: text(r, "created_by")?,
                })
            },
        )
        .await
    }

    /// Publishes a new version of the weights; `based_on` must be the version in force (else
    /// a conflict). The weights must already be validated.
    pub async fn save_evaluation_weights(&self, based_on: i64, w: &EvaluationWeights, ctx: &AuditCtx) -> Result<WeightSet, StoreError> {
        w.validate().map_err(|e| StoreError::rule("invalid_weights", e.to_string()))?;
        let mut tx = self.begin_locked().await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM evaluation_weights")
            .fetch_one(&mut *tx)
            .await?;
        let current = current.unwrap_or(0);
        if current != based_on {
            return Err(self.stale(tx, "evaluation_weights", current).await?);
        }
        let version = current + 1;
        let at = now();
        let body = serde_json::to_string(w).expect("serialisable");
        sqlx::query("INSERT INTO evaluation_weights (version, weights_json, created_at, created_by) VALUES ($1, $2, $3, $4)")
            .bind(version)
            .bind(&body)
            .bind(&at)
            .bind(&ctx.actor)
            .execute(&mut *tx)
            .await?;
        let before = json!({ "version": current });
        let after = json!({ "version": version, "weights": w });
        append(
            &mut tx,
            ctx,
            "evaluation.weights",
            "evaluation_weights",
            Some(version),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(WeightSet {
            version,
            weights: *w,
            created_at: at,
            created_by: ctx.actor.clone(),
        })
    }

    /// Issues the report of a period: builds it from the data now, numbers it (第X期 of its kind
    /// and year), freezes the model in Chinese and in English with the data version it came
    /// from, and audits the issue.
    pub async fn issue_report(&self, period: ReportPeriod, ctx: &AuditCtx) -> Result<IssuedReport, StoreError> {
        let version = self.data_version().await?;
        let mut both = self.build_reports(period, &[Lang::Zh, Lang::En]).await?;
        let mut en = both.pop().expect("two reports");
        let mut report = both.pop().expect("two reports");
        let mut tx = self.begin_locked().await?;
        // The data must not have changed while the report was being built.
        let now_seq: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM audit_log WHERE action NOT LIKE 'cadence.%'")
            .fetch_one(&mut *tx)
            .await?;
        if now_seq.unwrap_or(0) != version.seq {
            return Err(StoreError::rule("report_data_changed", "生成报告期间数据发生了变化，请重新签发"));
        }
        let year = period.plan_year() as i64;
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(issue_no) FROM issued_reports WHERE kind = $1 AND year = $2")
            .bind(period.kind.code())
            .bind(year)
            .fetch_one(&mut *tx)
            .await?;
        let issue_no = last.unwrap_or(0) + 1;
        for r in [&mut report, &mut en] {
            r.issue_no = Some(issue_no as u32);
            r.audit_head = Some((version.seq, version.hash.clone()));
        }
        let frozen = Frozen::Both { zh: report, en };
        let at = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO issued_reports (kind, period, year, issue_no, issued_at, issued_by, data_seq, data_hash, content_json) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(period.kind.code())
        .bind(period.code())
        .bind(year)
        .bind(issue_no)
        .bind(&at)
        .bind(&ctx.actor)
        .bind(version.seq)
        .bind(&version.hash)
        .bind(serde_json::to_string(&frozen).expect("serialisable"))
        .fetch_one(&mut *tx)
        .await?;
        let after = json!({ "kind": period.kind.code(), "period": period.code(), "issue_no": issue_no, "data_seq": version.seq, "data_hash": version.hash });
        append(&mut tx, ctx, "cadence.issue", "issued_report", Some(id), None, Some(&after)).await?;
        tx.commit().await?;
        let Frozen::Both { zh: report, en } = frozen else {
            unreachable!("frozen in both languages above")
        };
        Ok(IssuedReport {
            summary: IssuedSummary {
                id,
                kind: period.kind,
                period: period.code(),
                year,
                issue_no,
                title: report.title.clone(),
                title_en: en.title.clone(),
                issued_at: at,
                issued_by: ctx.actor.clone(),
                data_version: version,
            },
            report,
            report_en: Some(en),
        })
    }

    /// Issued reports, newest first, optionally of one kind.
    pub async fn issued_reports(&self, kind: Option<ReportKind>) -> Result<Vec<IssuedSummary>, StoreError> {
        let rows = match kind {
            Some(k) => {
                sqlx::query(&format!("{ISSUED_COLUMNS} WHERE kind = $1 ORDER BY id DESC"))
                    .bind(k.code())
                    .fetch_all(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("{ISSUED_COLUMNS} ORDER BY id DESC"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter().map(|r| Ok(issued(r)?.summary)).collect()
    }

    pub async fn issued_report(&self, id: i64) -> Result<IssuedReport, StoreError> {
        let r = found(sqlx::query(&format!("{ISSUED_COLUMNS} WHERE id = $1")).bind(id), &self.pool).await?;
        issued(&r)
    }

    /// The issue of the same kind just before this one.
    pub async fn previous_issue(&self, issued: &IssuedSummary) -> Result<Option<IssuedReport>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM issued_reports WHERE kind = $1 AND id < $2")
            .bind(issued.kind.code())
            .bind(issued.id)
            .fetch_one(&self.pool)
            .await?;
        match id {
            Some(id) => Ok(Some(self.issued_report(id).await?)),
            None => Ok(None),
        }
    }
}

const ISSUED_COLUMNS: &str =
    "SELECT id, kind, period, year, issue_no, issued_at, issued_by, data_seq, data_hash, content_json FROM issued_reports";

fn issued(r: &sqlx::any::AnyRow) -> Result<IssuedReport, StoreError> {
    let raw = text(r, "content_json")?;
    let frozen: Frozen = serde_json::from_str(&raw).map_err(|e| StoreError::Corrupt(format!("issued_reports.content_json: {e}")))?;
    let (report, report_en) = match frozen {
        Frozen::Both { zh, en } => (zh, Some(en)),
        Frozen::Chinese(zh) => (zh, None),
    };
    let kind = ReportKind::parse(&text(r, "kind")?).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok(IssuedReport {
        summary: IssuedSummary {
            id: i64_(r, "id")?,
            kind,
            period: text(r, "period")?,
            year: i64_(r, "year")?,
            issue_no: i64_(r, "issue_no")?,
            title: report.title.clone(),
            title_en: match &report_en {
                Some(en) => en.title.clone(),
                None => zhantu_domain::cadence::report_title(zhantu_domain::lang::Lang::En, kind, &report.district),
            },
            issued_at: text(r, "issued_at")?,
            issued_by: text(r, "issued_by")?,
            data_version: DataVersion {
                seq: i64_(r, "data_seq")?,
                hash: text(r, "data_hash")?,
            },
        },
        report,
        report_en,
    })
}
