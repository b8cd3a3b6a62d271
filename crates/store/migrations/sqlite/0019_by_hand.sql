-- Projects and nodes entered by hand, and past batches recorded as they were (issue 15,
-- items 3 and 5). Kept parallel with ../postgres/0019_by_hand.sql.

-- 基准: a project's plan is a draft its unit shapes freely until a coordinator approves it
-- as the baseline; every project made before (imported, generated, landed from a lead) was
-- planned with its baseline, so it counts as approved.
ALTER TABLE projects ADD COLUMN baseline TEXT NOT NULL DEFAULT 'approved';
ALTER TABLE projects ADD COLUMN baseline_approved_by TEXT;
ALTER TABLE projects ADD COLUMN baseline_approved_at TEXT;

-- A node added to or removed from an approved schedule, with its reason: a version of the
-- schedule, like an approved date change. A removed node's row is gone, so its record keeps
-- what the versions need (name, place, baseline, and its approved date changes as JSON).
CREATE TABLE node_plan_changes (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    node_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    planned_on TEXT NOT NULL,
    baseline_on TEXT NOT NULL,
    in_baseline INTEGER NOT NULL,
    date_changes TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX node_plan_changes_project ON node_plan_changes(project_id, id);
CREATE INDEX node_plan_changes_node ON node_plan_changes(node_id);

-- A project admitted to a batch over its readiness gate by a coordinator's written reason.
ALTER TABLE batch_projects ADD COLUMN override_reason TEXT;
ALTER TABLE batch_projects ADD COLUMN override_by TEXT;
ALTER TABLE batch_projects ADD COLUMN override_at TEXT;
