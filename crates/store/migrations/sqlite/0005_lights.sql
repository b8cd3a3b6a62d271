-- Every reason behind a project's light (JSON list of Chinese sentences, worst first), and a
-- record of each lights run. Parallel with ../postgres/0005_lights.sql.
ALTER TABLE projects ADD COLUMN light_reasons TEXT;
CREATE TABLE light_runs (
    id INTEGER PRIMARY KEY,
    run_at TEXT NOT NULL,
    as_of TEXT NOT NULL,
    rule_version INTEGER NOT NULL,
    projects INTEGER NOT NULL,
    nodes INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    red INTEGER NOT NULL,
    yellow INTEGER NOT NULL,
    green INTEGER NOT NULL,
    elapsed_ms INTEGER NOT NULL,
    trigger_kind TEXT NOT NULL
);
