-- Delivery confidence (issue #20, item 1): each month's rating of a project by its responsible
-- leader, five levels with a written reason, and the project's light when it was given (so
-- whether they disagreed stays as it was). One per project and month; a second rating of the
-- same month replaces the first (the audit log keeps both). Parallel with the other engine's.
CREATE TABLE confidence_ratings (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    level TEXT NOT NULL,
    reason TEXT NOT NULL,
    light TEXT,
    rated_by TEXT NOT NULL,
    rated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (project_id, month)
);
CREATE INDEX confidence_ratings_month ON confidence_ratings(month);
