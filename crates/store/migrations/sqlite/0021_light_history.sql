-- Lights that mean current risk (issue #17): every project's light kept per week and per month
-- (written by the lights run, the current period's row updated by each run), with 转绿
-- (recovered: red in the previous period, green in this one) and the count of its approval
-- clocks that closed over their limit; and the reasons in English for the red list.
-- Parallel with ../postgres/0021_light_history.sql.
ALTER TABLE projects ADD COLUMN light_reasons_en TEXT;
CREATE TABLE light_snapshots (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    period_kind TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    as_of TEXT NOT NULL,
    light TEXT NOT NULL,
    recovered INTEGER NOT NULL,
    late_clocks INTEGER NOT NULL,
    reason TEXT,
    rule_version INTEGER NOT NULL,
    PRIMARY KEY (project_id, period_kind, period_start)
);
CREATE INDEX light_snapshots_period ON light_snapshots (period_kind, period_start);
