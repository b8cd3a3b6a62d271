-- Issued (frozen) reports of the cadence and the versioned weights of the quarterly evaluation.
-- Parallel with ../postgres/0009_reports.sql.
-- An issued report keeps the model it was rendered from (JSON) and the data version it came
-- from: the last audit entry (sequence and hash, other than an issue) before the issue. Its PDF,
-- .xlsx and .docx are rendered again from the frozen model, so they never change.
CREATE TABLE issued_reports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    year INTEGER NOT NULL,
    issue_no INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    data_seq INTEGER NOT NULL,
    data_hash TEXT NOT NULL,
    content_json TEXT NOT NULL,
    UNIQUE (kind, year, issue_no)
);
CREATE INDEX issued_reports_kind ON issued_reports(kind, id);

CREATE TABLE evaluation_weights (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL UNIQUE,
    weights_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT ''
);
INSERT INTO evaluation_weights (version, weights_json, created_at, created_by) VALUES
    (1, '{"on_time":25,"investment":30,"landing":20,"problems":15,"timeliness":10}', '2019-01-01T00:00:00.000Z', 'system:defaults');
