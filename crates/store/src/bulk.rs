//! Loading a whole district (the demo, a generated province, later an import) in one
//! transaction, with multi-row INSERTs sized to each engine's parameter limit.

use crate::row::Val;
use crate::{Engine, Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::dataset::Dataset;

/// How many rows a load wrote.
#[derive(Debug, Default, Clone)]
pub struct LoadStats {
    pub projects: usize,
    pub nodes: usize,
    pub rows: usize,
}

/// How big a district's data is, for a benchmark's report.
#[derive(Debug, Default, Clone)]
pub struct DataSize {
    pub projects: i64,
    pub nodes: i64,
    pub progress_reports: i64,
    pub problems: i64,
    /// Distinct six-digit (county) prefixes of the projects' division codes.
    pub districts: i64,
    /// The database's size on disk, where the engine tells it.
    pub bytes: Option<i64>,
}

/// Inserts rows into `table` in multi-row statements (for copies between databases).
pub(crate) async fn insert_values(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<usize, StoreError> {
    insert_rows(conn, engine, table, cols, rows).await
}

async fn insert_rows(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    rows: impl IntoIterator<Item = Vec<Val>>,
) -> Result<usize, StoreError> {
    let per_stmt = (engine.max_params() / cols.len()).clamp(1, 1000);
    let mut batch: Vec<Vec<Val>> = Vec::with_capacity(per_stmt);
    let mut written = 0;
    for row in rows {
        debug_assert_eq!(row.len(), cols.len(), "{table}");
        batch.push(row);
        if batch.len() == per_stmt {
            written += flush(conn, engine, table, cols, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        written += flush(conn, engine, table, cols, &mut batch).await?;
    }
    Ok(written)
}

/// Writes the tables of a data set one after another, counting the rows.
struct Loader<'c> {
    conn: &'c mut AnyConnection,
    engine: Engine,
    written: usize,
}

/// The rows of one table, their iterator's type erased: a future holding the iterators of
/// nested closures is not provably `Send` to rustc inside a web handler's future
/// (rust-lang/rust#102211), and a new district's setup runs in one.
type Rows<'a> = Box<dyn Iterator<Item = Vec<Val>> + Send + 'a>;

impl<'c> Loader<'c> {
    fn table<'s, I>(&'s mut self, table: &'s str, cols: &'s [&'s str], rows: I) -> impl Future<Output = Result<(), StoreError>> + Send + 's
    where
        I: IntoIterator<Item = Vec<Val>>,
        I::IntoIter: Send + 's,
        'c: 's,
    {
        let rows: Rows<'s> = Box::new(rows.into_iter());
        async move {
            self.written += insert_rows(self.conn, self.engine, table, cols, rows).await?;
            Ok(())
        }
    }
}

async fn flush(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    batch: &mut Vec<Vec<Val>>,
) -> Result<usize, StoreError> {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    let mut n = 0;
    for (i, _) in batch.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&engine.placeholder(n));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for row in batch.drain(..) {
        for v in row {
            q = match v {
                Val::I(i) => q.bind(i),
                Val::T(t) => q.bind(t),
                Val::NullI => q.bind(None::<i64>),
                Val::NullT => q.bind(None::<String>),
            };
        }
    }
    Ok(q.execute(&mut *conn).await?.rows_affected() as usize)
}

impl Store {
    /// Creates the PostgreSQL database a URL names when the server says it does not exist
    /// (through the server's `postgres` database, so the role needs CREATEDB). True when it
    /// created one; a SQLite file is created by [`Store::open`] itself.
    pub async fn create_database_if_missing(url: &str) -> Result<bool, StoreError> {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let (engine, url) = crate::dialect::normalize_url(url)?;
        if engine != Engine::Postgres {
            return Ok(false);
        }
        let missing = match AnyConnection::connect(&url).await {
            Ok(conn) => {
                let _ = conn.close().await;
                return Ok(false);
            }
            Err(sqlx::Error::Database(e)) => e.code().as_deref() == Some("3D000"),
            Err(e) => return Err(StoreError::Connect(e.to_string())),
        };
        if !missing {
            return Ok(false);
        }
        let (base, rest) = url.rsplit_once('/').ok_or_else(|| StoreError::BadUrl(url.clone()))?;
        let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::BadUrl(url.clone()));
        }
        let admin = if query.is_empty() {
            format!("{base}/postgres")
        } else {
            format!("{base}/postgres?{query}")
        };
        let mut conn = AnyConnection::connect(&admin)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
        let _ = conn.close().await;
        Ok(true)
    }

    /// Counts of the main tables and the size on disk.
    pub async fn data_size(&self) -> Result<DataSize, StoreError> {
        let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await };
        let bytes = match self.engine {
            Engine::Sqlite => "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            Engine::Postgres => "SELECT pg_database_size(current_database())",
        };
        Ok(DataSize {
            projects: count("SELECT COUNT(*) FROM projects").await?,
            nodes: count("SELECT COUNT(*) FROM nodes").await?,
            progress_reports: count("SELECT COUNT(*) FROM progress_reports").await?,
            problems: count("SELECT COUNT(*) FROM problems").await?,
            districts: count("SELECT COUNT(DISTINCT SUBSTR(division_code, 1, 6)) FROM projects").await?,
            bytes: count(bytes).await.ok(),
        })
    }

    /// Writes a whole data set into an empty database, all or nothing.
    pub async fn load_dataset(&self, ds: &Dataset) -> Result<LoadStats, StoreError> {
        let mut tx = self.pool.begin().await?;
        let stats = self.write_dataset(&mut tx, ds).await?;
        tx.commit().await?;
        self.reindex_search().await?;
        self.recompute_lights("load").await?;
        self.refresh_statistics().await?;
        Ok(stats)
    }

    /// Writes every table of a data set inside the caller's transaction, with the district's
    /// default light rules and the shipped holidays, and moves the id sequences past the ids
    /// written. `load_dataset` and a new district's setup (`init_district`) share it.
    pub(crate) async fn write_dataset(&self, conn: &mut AnyConnection, ds: &Dataset) -> Result<LoadStats, StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        let mut load = Loader {
            conn: &mut *conn,
            engine: self.engine,
            written: 0,
        };

        load.table(
            "settings",
            &["key", "value"],
            ds.settings.iter().map(|(k, v)| vec![k.into(), v.into()]),
        )
        .await?;
        // The district starts with the full default rule set; the dataset's node thresholds
        // carry over into it.
        let mut rule_set = zhantu_domain::rules::RuleSet::default();
        let from_dataset = zhantu_domain::rules::RuleSet::from(&ds.light_rules);
        for r in from_dataset.rules {
            if let Some(slot) = rule_set.rules.iter_mut().find(|d| d.id == r.id) {
                *slot = r;
            }
        }
        let rules = serde_json::to_string(&rule_set).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        load.table(
            "light_rule_sets",
            &["id", "rules_json", "created_at", "created_by"],
            [vec![1i64.into(), rules.into(), now.clone().into(), "system".into()]],
        )
        .await?;
        load.table(
            "holidays",
            &["day", "kind", "name"],
            zhantu_domain::reference::holidays().map(|h| vec![h.date.into(), h.kind.into(), h.name.into()]),
        )
        .await?;
        load.table(
            "units",
            &["id", "parent_id", "name", "kind", "division_code", "sort_order"],
            ds.units.iter().enumerate().map(|(i, u)| {
                vec![
                    u.id.into(),
                    u.parent_id.into(),
                    (&u.name).into(),
                    u.kind.code().into(),
                    u.division_code.as_ref().map(|d| d.as_str()).into(),
                    (i as i64).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "people",
            &["id", "name", "title", "unit_id", "is_leader"],
            ds.people.iter().map(|p| {
                vec![
                    p.id.into(),
                    (&p.name).into(),
                    (&p.title).into(),
                    p.unit_id.into(),
                    p.is_leader.into(),
                ]
            }),
        )
        .await?;
        load.table(
            "categories",
            &["id", "code", "name", "tracks_landing", "sort_order"],
            ds.categories.iter().enumerate().map(|(i, cr)| {
                vec![
                    cr.category.id.into(),
                    (&cr.category.code).into(),
                    (&cr.category.name).into(),
                    cr.tracks_landing.into(),
                    (i as i64).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "category_targets",
            &["category_id", "year", "target_tenths"],
            ds.categories.iter().flat_map(|cr| {
                cr.targets
                    .iter()
                    .map(move |(y, t)| vec![cr.category.id.into(), (*y).into(), (*t).into()])
            }),
        )
        .await?;
        load.table(
            "project_types",
            &["code", "name", "name_en"],
            ds.project_types
                .iter()
                .map(|t| vec![(&t.code).into(), (&t.name).into(), (&t.name_en).into()]),
        )
        .await?;
        load.table(
            "node_templates",
            &["project_type", "seq", "name", "offset_days", "owner_hint", "parallel"],
            ds.node_templates.iter().map(|t| {
                vec![
                    (&t.project_type).into(),
                    t.seq.into(),
                    (&t.name).into(),
                    t.offset_days.into(),
                    (&t.owner_hint).into(),
                    (t.parallel as i64).into(),
                ]
            }),
        )
        .await?;

        let projects = ds.projects.len();
        load.table(
            "projects",
            &[
                "id",
                "code",
                "name",
                "unit_id",
                "leader_id",
                "industry_code",
                "project_type",
                "stage",
                "division_code",
                "location",
                "land_area_centi_mu",
                "total_investment",
                "investor",
                "foreign_investment",
                "foreign_usd_cents",
                "planned_year",
                "planned_start_on",
                "started_on",
                "completed_on",
                "in_statistics_on",
                "description",
                "light",
                "light_reason",
                "created_at",
                "updated_at",
                "version",
            ],
            ds.projects.iter().map(|b| {
                let p = &b.project;
                vec![
                    p.id.into(),
                    p.code.as_ref().map(|c| c.as_str()).into(),
                    (&p.name).into(),
                    p.unit_id.into(),
                    p.leader_id.into(),
                    p.industry_code.clone().into(),
                    (&p.project_type).into(),
                    p.stage.code().into(),
                    p.division_code.as_ref().map(|d| d.as_str()).into(),
                    (&p.location).into(),
                    p.land_area.map(|a| a.centi_mu()).into(),
                    p.total_investment.yuan().into(),
                    (&p.investor).into(),
                    p.foreign_investment.into(),
                    p.foreign_investment_usd_cents.into(),
                    p.planned_year.into(),
                    p.planned_start_on.into(),
                    p.started_on.into(),
                    p.completed_on.into(),
                    p.in_statistics_on.into(),
                    (&p.description).into(),
                    b.light.as_ref().map(|l| l.0.code()).into(),
                    b.light.as_ref().map(|l| l.1.clone()).into(),
                    now.clone().into(),
                    now.clone().into(),
                    p.version.into(),
                ]
            }),
        )
        .await?;
        load.table(
            "project_categories",
            &["project_id", "category_id", "year"],
            ds.projects.iter().flat_map(|b| {
                b.categories
                    .iter()
                    .map(move |(cat, y)| vec![b.project.id.into(), (*cat).into(), (*y).into()])
            }),
        )
        .await?;
        load.table(
            "annual_plans",
            &["project_id", "year", "planned_investment"],
            ds.projects.iter().flat_map(|b| {
                b.annual_plans
                    .iter()
                    .map(move |(y, m)| vec![b.project.id.into(), (*y).into(), m.yuan().into()])
            }),
        )
        .await?;
        load.table(
            "monthly_investment",
            &["project_id", "year", "month", "amount"],
            ds.projects.iter().flat_map(|b| {
                b.monthly_investment
                    .iter()
                    .map(move |(y, m, a)| vec![b.project.id.into(), (*y).into(), (*m).into(), a.yuan().into()])
            }),
        )
        .await?;
        load.table(
            "stage_changes",
            &["project_id", "from_stage", "to_stage", "changed_on", "note"],
            ds.projects.iter().flat_map(|b| {
                b.stage_changes.iter().map(move |s| {
                    vec![
                        b.project.id.into(),
                        s.from.map(|f| f.code()).into(),
                        s.to.code().into(),
                        s.on.into(),
                        (&s.note).into(),
                    ]
                })
            }),
        )
        .await?;
        let nodes: usize = ds.projects.iter().map(|b| b.nodes.len()).sum();
        load.table(
            "nodes",
            &[
                "id",
                "project_id",
                "seq",
                "name",
                "planned_on",
                "baseline_on",
                "forecast_on",
                "actual_on",
                "responsible_unit_id",
                "responsible_person_id",
                "status",
                "light",
                "light_reason",
                "version",
            ],
            ds.projects.iter().flat_map(|b| {
                b.nodes.iter().map(|n| {
                    vec![
                        n.id.into(),
                        n.project_id.into(),
                        n.seq.into(),
                        (&n.name).into(),
                        n.planned_on.into(),
                        n.baseline_on.into(),
                        n.forecast_on.into(),
                        n.actual_on.into(),
                        n.responsible_unit_id.into(),
                        n.responsible_person_id.into(),
                        n.status.code().into(),
                        n.light.map(|l| l.code()).into(),
                        n.light_reason.clone().into(),
                        n.version.into(),
                    ]
                })
            }),
        )
        .await?;
        load.table(
            "progress_reports",
            &[
                "id",
                "project_id",
                "period_kind",
                "period_start",
                "period_end",
                "body",
                "investment",
                "submitted_on",
            ],
            ds.projects.iter().flat_map(|b| {
                b.reports.iter().map(move |r| {
                    vec![
                        r.id.into(),
                        b.project.id.into(),
                        r.period.code().into(),
                        r.period_start.into(),
                        r.period_end.into(),
                        (&r.body).into(),
                        r.investment.yuan().into(),
                        r.submitted_on.into(),
                    ]
                })
            }),
        )
        .await?;
        load.table(
            "fai_monthly",
            &["division_code", "year", "month", "cumulative"],
            ds.fai
                .iter()
                .map(|f| vec![(&f.division_code).into(), f.year.into(), f.month.into(), f.cumulative.yuan().into()]),
        )
        .await?;
        load.table(
            "enterprises",
            &["id", "credit_code", "name", "industry_code", "division_code"],
            ds.enterprises.iter().map(|e| {
                vec![
                    e.id.into(),
                    e.credit_code.as_str().into(),
                    (&e.name).into(),
                    e.industry_code.clone().into(),
                    e.division_code.as_ref().map(|d| d.as_str()).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "enterprise_tags",
            &["enterprise_id", "tag"],
            ds.enterprises
                .iter()
                .flat_map(|e| e.tags.iter().map(move |t| vec![e.id.into(), t.into()])),
        )
        .await?;
        load.table(
            "enterprise_visits",
            &["id", "enterprise_id", "visited_on", "visitor_id", "unit_id", "findings"],
            ds.visits.iter().map(|v| {
                vec![
                    v.id.into(),
                    v.enterprise_id.into(),
                    v.visited_on.into(),
                    v.visitor_id.into(),
                    v.unit_id.into(),
                    (&v.findings).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "problems",
            &[
                "id",
                "project_id",
                "node_id",
                "visit_id",
                "enterprise_id",
                "category",
                "description",
                "unit_id",
                "raised_on",
                "deadline",
                "status",
                "resolved_on",
                "closed_on",
                "satisfaction",
            ],
            ds.problems.iter().map(|p| {
                vec![
                    p.id.into(),
                    p.project_id.into(),
                    p.node_id.into(),
                    p.visit_id.into(),
                    p.enterprise_id.into(),
                    (&p.category).into(),
                    (&p.description).into(),
                    p.unit_id.into(),
                    p.raised_on.into(),
                    p.deadline.into(),
                    p.status.code().into(),
                    p.resolved_on.into(),
                    p.closed_on.into(),
                    p.satisfaction.into(),
                ]
            }),
        )
        .await?;
        load.table(
            "attraction_leads",
            &[
                "id",
                "name",
                "investor",
                "team_unit_id",
                "leader_id",
                "stage",
                "signed_amount",
                "foreign_usd_cents",
                "source_region",
                "first_contact_on",
                "signed_on",
                "landed_on",
                "project_id",
            ],
            ds.leads.iter().map(|l| {
                vec![
                    l.id.into(),
                    (&l.name).into(),
                    (&l.investor).into(),
                    l.team_unit_id.into(),
                    l.leader_id.into(),
                    l.stage.code().into(),
                    l.signed_amount.yuan().into(),
                    l.foreign_usd_cents.into(),
                    (&l.source_region).into(),
                    l.first_contact_on.into(),
                    l.signed_on.into(),
                    l.landed_on.into(),
                    l.project_id.into(),
                ]
            }),
        )
        .await?;
        load.table(
            "lead_milestones",
            &["lead_id", "responded_on", "assessed_on", "assessment", "feedback_on"],
            ds.leads
                .iter()
                .filter(|l| l.clocks.responded_on.is_some() || l.clocks.assessed_on.is_some())
                .map(|l| {
                    vec![
                        l.id.into(),
                        l.clocks.responded_on.into(),
                        l.clocks.assessed_on.into(),
                        l.clocks.assessment.map(|a| a.code()).into(),
                        l.clocks.feedback_on.into(),
                    ]
                }),
        )
        .await?;
        load.table(
            "lead_progress_reports",
            &["lead_id", "reported_on", "body", "author", "created_at"],
            ds.leads.iter().flat_map(|l| {
                l.clocks.progress.iter().map(|(on, body, author)| {
                    vec![
                        l.id.into(),
                        (*on).into(),
                        body.into(),
                        author.into(),
                        format!("{on}T09:00:00.000Z").into(),
                    ]
                })
            }),
        )
        .await?;
        load.table(
            "batches",
            &["id", "name", "level", "held_on"],
            ds.batches
                .iter()
                .map(|b| vec![b.id.into(), (&b.name).into(), b.level.code().into(), b.held_on.into()]),
        )
        .await?;
        load.table(
            "batch_projects",
            &["batch_id", "project_id"],
            ds.batches
                .iter()
                .flat_map(|b| b.project_ids.iter().map(move |p| vec![b.id.into(), (*p).into()])),
        )
        .await?;
        load.table(
            "campaigns",
            &["id", "name", "starts_on", "ends_on", "description", "status", "closing_note"],
            ds.campaigns.iter().map(|k| {
                vec![
                    k.id.into(),
                    (&k.name).into(),
                    k.starts_on.into(),
                    k.ends_on.into(),
                    (&k.description).into(),
                    if k.closing_note.is_some() { "closed" } else { "open" }.into(),
                    k.closing_note.as_deref().unwrap_or("").into(),
                ]
            }),
        )
        .await?;
        load.table(
            "campaign_nodes",
            &["campaign_id", "node_id"],
            ds.campaigns
                .iter()
                .flat_map(|k| k.node_ids.iter().map(move |n| vec![k.id.into(), (*n).into()])),
        )
        .await?;
        load.table(
            "campaign_units",
            &["campaign_id", "unit_id"],
            ds.campaigns
                .iter()
                .flat_map(|k| k.unit_ids.iter().map(move |u| vec![k.id.into(), (*u).into()])),
        )
        .await?;
        load.table(
            "campaign_measures",
            &[
                "campaign_id",
                "seq",
                "name",
                "unit",
                "target",
                "achieved",
                "updated_by",
                "updated_at",
            ],
            ds.campaigns.iter().flat_map(|k| {
                let updated = format!("{}T01:00:00.000Z", k.ends_on);
                k.measures.iter().enumerate().map(move |(i, (name, unit, target, achieved))| {
                    vec![
                        k.id.into(),
                        (i as i64 + 1).into(),
                        name.into(),
                        unit.into(),
                        (*target).into(),
                        (*achieved).into(),
                        "demo".into(),
                        updated.clone().into(),
                    ]
                })
            }),
        )
        .await?;
        load.table(
            "supervision_rounds",
            &["id", "name", "leader_id", "held_on", "summary", "status", "report"],
            ds.supervision_rounds.iter().map(|r| {
                vec![
                    r.id.into(),
                    (&r.name).into(),
                    r.leader_id.into(),
                    r.held_on.into(),
                    (&r.summary).into(),
                    if r.report.is_some() { "closed" } else { "open" }.into(),
                    r.report.as_deref().unwrap_or("").into(),
                ]
            }),
        )
        .await?;
        load.table(
            "supervision_targets",
            &["round_id", "project_id", "finding"],
            ds.supervision_rounds
                .iter()
                .flat_map(|r| r.targets.iter().map(move |(p, f)| vec![r.id.into(), (*p).into(), f.into()])),
        )
        .await?;
        load.table(
            "approval_clocks",
            &["id", "name", "project_type", "start_node", "stop_node", "limit_days", "day_kind"],
            ds.approval_clocks.iter().map(|a| {
                vec![
                    a.id.into(),
                    (&a.name).into(),
                    a.project_type.clone().into(),
                    (&a.start_node).into(),
                    (&a.stop_node).into(),
                    a.limit_days.into(),
                    a.day_kind.code().into(),
                ]
            }),
        )
        .await?;
        load.table(
            "land_ledger",
            &["id", "entry_on", "kind", "area_centi_mu", "project_id", "document", "note"],
            ds.land_ledger.iter().map(|l| {
                vec![
                    l.id.into(),
                    l.entry_on.into(),
                    l.kind.code().into(),
                    l.area.centi_mu().into(),
                    l.project_id.into(),
                    (&l.document).into(),
                    (&l.note).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "confidence_ratings",
            &["project_id", "month", "level", "reason", "rated_by", "rated_at"],
            ds.confidence.iter().map(|c| {
                vec![
                    c.project_id.into(),
                    (&c.month).into(),
                    c.level.code().into(),
                    (&c.reason).into(),
                    (&c.rated_by).into(),
                    format!("{}T01:00:00.000Z", c.rated_on).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "support_ledger",
            &[
                "kind",
                "policy",
                "year",
                "unit_id",
                "firms",
                "amount",
                "granted_on",
                "document",
                "created_by",
            ],
            ds.support.iter().map(|l| {
                vec![
                    l.kind.code().into(),
                    (&l.policy).into(),
                    (chrono::Datelike::year(&l.granted_on) as i64).into(),
                    l.unit_id.into(),
                    l.firms.into(),
                    l.amount.yuan().into(),
                    l.granted_on.into(),
                    (&l.document).into(),
                    "demo".into(),
                ]
            }),
        )
        .await?;
        load.table(
            "results_promises",
            &[
                "project_id",
                "output",
                "tax",
                "jobs",
                "energy_tce",
                "full_production_year",
                "investment_per_mu",
                "updated_by",
                "updated_at",
            ],
            ds.results.iter().map(|r| {
                let p = &r.promise;
                vec![
                    r.project_id.into(),
                    p.output.yuan().into(),
                    p.tax.yuan().into(),
                    p.jobs.into(),
                    p.energy_tce.into(),
                    (p.full_production_year as i64).into(),
                    p.investment_per_mu.map(|m| m.yuan()).into(),
                    "system:demo".into(),
                    "2019-12-31T00:00:00.000Z".into(),
                ]
            }),
        )
        .await?;
        load.table(
            "results_years",
            &["project_id", "year", "output", "tax", "jobs", "energy_tce"],
            ds.results.iter().flat_map(|r| {
                r.years.iter().map(move |y| {
                    vec![
                        r.project_id.into(),
                        (y.year as i64).into(),
                        y.output.yuan().into(),
                        y.tax.yuan().into(),
                        y.jobs.into(),
                        y.energy_tce.into(),
                    ]
                })
            }),
        )
        .await?;
        let rows = load.written;
        // 一线办公: after the count of rows too, which the figures of a load report as before.
        load.table(
            "field_work_entries",
            &[
                "person_id",
                "work_date",
                "part",
                "project_id",
                "place",
                "matters",
                "recorded_by",
                "recorded_at",
            ],
            ds.field_work.iter().map(|f| {
                vec![
                    f.person_id.into(),
                    f.date.into(),
                    f.part.code().into(),
                    f.project_id.into(),
                    (&f.place).into(),
                    (&f.matters).into(),
                    "demo".into(),
                    format!("{}T10:00:00.000Z", f.date).into(),
                ]
            }),
        )
        .await?;
        load.table(
            "field_work_rules",
            &["person_id", "kind", "per_week", "share_num", "share_den", "set_by", "set_at"],
            ds.field_work_rules.iter().map(|(person, rule)| {
                use zhantu_domain::field_work::FieldWorkRule;
                let (per_week, num, den) = match *rule {
                    FieldWorkRule::Times { per_week } => (per_week, 1, 3),
                    FieldWorkRule::Share { num, den } => (2, num, den),
                };
                vec![
                    (*person).into(),
                    rule.code().into(),
                    per_week.into(),
                    num.into(),
                    den.into(),
                    "demo".into(),
                    "2019-09-01T01:00:00.000Z".into(),
                ]
            }),
        )
        .await?;
        // Statistics codes and the bureau's counted investment: after the count of rows, which
        // the figures of a load report as they were before the mechanism.
        for s in &ds.statistics {
            if let Some(code) = &s.code {
                sqlx::query("UPDATE projects SET statistics_code = $1 WHERE id = $2")
                    .bind(code)
                    .bind(s.project_id)
                    .execute(&mut *load.conn)
                    .await?;
            }
        }
        load.table(
            "statistics_counted",
            &["project_id", "year", "month", "cumulative"],
            ds.statistics.iter().flat_map(|s| {
                s.counted
                    .iter()
                    .map(move |(y, m, c)| vec![s.project_id.into(), (*y).into(), (*m).into(), c.yuan().into()])
            }),
        )
        .await?;

        load.table(
            "node_dependencies",
            &["node_id", "depends_on_id", "lag_days"],
            ds.dependencies
                .iter()
                .map(|l| vec![l.node_id.into(), l.depends_on_id.into(), l.lag_days.into()]),
        )
        .await?;

        for table in [
            "units",
            "people",
            "categories",
            "node_templates",
            "projects",
            "stage_changes",
            "nodes",
            "progress_reports",
            "enterprises",
            "enterprise_visits",
            "problems",
            "attraction_leads",
            "batches",
            "campaigns",
            "supervision_rounds",
            "approval_clocks",
            "land_ledger",
            "light_rule_sets",
        ] {
            if let Some(sql) = self.engine.reset_id_sequence_sql(table) {
                sqlx::query(&sql).execute(&mut *conn).await?;
            }
        }
        // The change log of a load into an empty database is every row just written: one
        // "reload everything" row says the same.
        sqlx::query("DELETE FROM changes").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO changes (project_id) VALUES (NULL)")
            .execute(&mut *conn)
            .await?;
        Ok(LoadStats { projects, nodes, rows })
    }
}
