-- zhantu schema, SQLite dialect. Kept line-for-line parallel with ../postgres/0001_schema.sql:
-- the only differences are the id column type and the timestamp default.
-- Conventions that make one set of queries run on both engines:
--   * dates are TEXT 'YYYY-MM-DD', months are (year, month) integers, timestamps TEXT RFC 3339;
--   * money is INTEGER 元, land INTEGER hundredths of a 亩, rates INTEGER tenths of a percent;
--   * flags are INTEGER 0/1; every editable record has a `version` for optimistic locking.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    division_code TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    unit_id INTEGER NOT NULL REFERENCES units(id),
    is_leader INTEGER NOT NULL DEFAULT 0,
    phone TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX people_unit ON people(unit_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    tracks_landing INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE category_targets (
    category_id INTEGER NOT NULL REFERENCES categories(id),
    year INTEGER NOT NULL,
    target_tenths INTEGER NOT NULL,
    PRIMARY KEY (category_id, year)
);

CREATE TABLE project_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL
);

CREATE TABLE node_templates (
    id INTEGER PRIMARY KEY,
    project_type TEXT NOT NULL REFERENCES project_types(code),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    offset_days INTEGER NOT NULL,
    owner_hint TEXT NOT NULL DEFAULT '',
    UNIQUE (project_type, seq)
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    name TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    leader_id INTEGER REFERENCES people(id),
    industry_code TEXT,
    project_type TEXT NOT NULL REFERENCES project_types(code),
    stage TEXT NOT NULL,
    division_code TEXT,
    location TEXT NOT NULL DEFAULT '',
    land_area_centi_mu INTEGER,
    total_investment INTEGER NOT NULL,
    investor TEXT NOT NULL DEFAULT '',
    foreign_investment INTEGER NOT NULL DEFAULT 0,
    foreign_usd_cents INTEGER,
    planned_year INTEGER NOT NULL,
    planned_start_on TEXT,
    started_on TEXT,
    completed_on TEXT,
    in_statistics_on TEXT,
    paused INTEGER NOT NULL DEFAULT 0,
    description TEXT NOT NULL DEFAULT '',
    light TEXT,
    light_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_unit ON projects(unit_id, id);
CREATE INDEX projects_leader ON projects(leader_id, id);
CREATE INDEX projects_stage ON projects(stage, id);
CREATE INDEX projects_light ON projects(light, id);
CREATE INDEX projects_planned_year ON projects(planned_year);
CREATE INDEX projects_started ON projects(started_on);

CREATE TABLE project_categories (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    category_id INTEGER NOT NULL REFERENCES categories(id),
    year INTEGER NOT NULL,
    PRIMARY KEY (project_id, category_id, year)
);
CREATE INDEX project_categories_cat ON project_categories(category_id, year, project_id);

CREATE TABLE annual_plans (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    year INTEGER NOT NULL,
    planned_investment INTEGER NOT NULL,
    PRIMARY KEY (project_id, year)
);
CREATE INDEX annual_plans_year ON annual_plans(year);

CREATE TABLE monthly_investment (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, year, month)
);
CREATE INDEX monthly_investment_period ON monthly_investment(year, month);

CREATE TABLE stage_changes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    from_stage TEXT,
    to_stage TEXT NOT NULL,
    changed_on TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_changes_project ON stage_changes(project_id);

CREATE TABLE nodes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    baseline_on TEXT NOT NULL,
    forecast_on TEXT,
    actual_on TEXT,
    responsible_unit_id INTEGER NOT NULL REFERENCES units(id),
    responsible_person_id INTEGER REFERENCES people(id),
    status TEXT NOT NULL,
    light TEXT,
    light_reason TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX nodes_project ON nodes(project_id, seq);
CREATE INDEX nodes_planned ON nodes(planned_on);
CREATE INDEX nodes_open_planned ON nodes(status, planned_on);

CREATE TABLE node_dependencies (
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    depends_on_id INTEGER NOT NULL REFERENCES nodes(id),
    PRIMARY KEY (node_id, depends_on_id)
);

-- Requests to move a node's planned date, waiting for a coordinator (issue: date changes).
CREATE TABLE node_date_changes (
    id INTEGER PRIMARY KEY,
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    old_planned_on TEXT NOT NULL,
    new_planned_on TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason_text TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT
);

-- Evidence of a node's close-out (photos, PDFs), checked by content.
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    body TEXT NOT NULL,
    investment INTEGER NOT NULL DEFAULT 0,
    submitted_on TEXT NOT NULL,
    submitted_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (project_id, period_kind, period_start)
);
CREATE INDEX progress_reports_period ON progress_reports(period_kind, period_start);

-- The statistics bureau's cumulative fixed-asset investment, year to month, per division.
CREATE TABLE fai_monthly (
    division_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    cumulative INTEGER NOT NULL,
    PRIMARY KEY (division_code, year, month)
);

CREATE TABLE enterprises (
    id INTEGER PRIMARY KEY,
    credit_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    industry_code TEXT,
    division_code TEXT,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE enterprise_tags (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (enterprise_id, tag)
);

CREATE TABLE enterprise_visits (
    id INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    visited_on TEXT NOT NULL,
    visitor_id INTEGER REFERENCES people(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    findings TEXT NOT NULL DEFAULT ''
);
CREATE INDEX enterprise_visits_date ON enterprise_visits(visited_on);

CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    project_id INTEGER REFERENCES projects(id),
    node_id INTEGER REFERENCES nodes(id),
    visit_id INTEGER REFERENCES enterprise_visits(id),
    enterprise_id INTEGER REFERENCES enterprises(id),
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    raised_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    resolved_on TEXT,
    closed_on TEXT,
    satisfaction INTEGER,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX problems_raised ON problems(raised_on);
CREATE INDEX problems_project ON problems(project_id);
CREATE INDEX problems_unit ON problems(unit_id, status);

CREATE TABLE attraction_leads (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    investor TEXT NOT NULL DEFAULT '',
    team_unit_id INTEGER NOT NULL REFERENCES units(id),
    leader_id INTEGER REFERENCES people(id),
    stage TEXT NOT NULL,
    signed_amount INTEGER NOT NULL DEFAULT 0,
    foreign_usd_cents INTEGER,
    source_region TEXT NOT NULL DEFAULT '',
    first_contact_on TEXT NOT NULL,
    signed_on TEXT,
    landed_on TEXT,
    project_id INTEGER REFERENCES projects(id),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE batches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    held_on TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE batch_projects (
    batch_id INTEGER NOT NULL REFERENCES batches(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    PRIMARY KEY (batch_id, project_id)
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE campaign_nodes (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    node_id INTEGER NOT NULL REFERENCES nodes(id),
    PRIMARY KEY (campaign_id, node_id)
);

CREATE TABLE campaign_units (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (campaign_id, unit_id)
);

CREATE TABLE supervision_rounds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    leader_id INTEGER NOT NULL REFERENCES people(id),
    held_on TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE supervision_targets (
    round_id INTEGER NOT NULL REFERENCES supervision_rounds(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    finding TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, project_id)
);

CREATE TABLE approval_clocks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    project_type TEXT,
    start_node TEXT NOT NULL,
    stop_node TEXT NOT NULL,
    limit_days INTEGER NOT NULL,
    day_kind TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE land_ledger (
    id INTEGER PRIMARY KEY,
    entry_on TEXT NOT NULL,
    kind TEXT NOT NULL,
    area_centi_mu INTEGER NOT NULL,
    project_id INTEGER REFERENCES projects(id),
    document TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);

-- Versioned warning-light rule sets; the newest active one applies.
CREATE TABLE light_rule_sets (
    id INTEGER PRIMARY KEY,
    rules_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);

-- The official working calendar: holidays off and make-up working days (调休).
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);

-- Every change: who, when, from where, what, before and after; hash-chained.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    before_json TEXT,
    after_json TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
