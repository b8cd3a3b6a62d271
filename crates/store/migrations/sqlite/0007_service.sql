-- 三服务 and the problem loop (提出 → 交办 → 办结 → 回访 → 销号): the workflow columns, the
-- history of each problem, and who visited. Parallel with ../postgres/0007_service.sql.
ALTER TABLE problems ADD COLUMN report_id INTEGER REFERENCES progress_reports(id);
ALTER TABLE problems ADD COLUMN raised_by TEXT;
ALTER TABLE problems ADD COLUMN assigned_by TEXT;
ALTER TABLE problems ADD COLUMN assigned_at TEXT;
ALTER TABLE problems ADD COLUMN assign_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN resolution TEXT;
ALTER TABLE problems ADD COLUMN resolved_by TEXT;
-- 回访: 'satisfied' or 'unsatisfied' (the last callback), with its note.
ALTER TABLE problems ADD COLUMN callback_result TEXT;
ALTER TABLE problems ADD COLUMN callback_note TEXT;
ALTER TABLE problems ADD COLUMN closed_by TEXT;
-- The day the escalation run last raised the level.
ALTER TABLE problems ADD COLUMN escalated_on TEXT;
-- A problem that holds up a node: the node cannot be verified closed while it is open.
ALTER TABLE problems ADD COLUMN blocking_node_id INTEGER REFERENCES nodes(id);
-- The problem's number in another system (12345, 企呼我应 …).
ALTER TABLE problems ADD COLUMN external_id TEXT;
CREATE INDEX problems_blocking ON problems(blocking_node_id);
CREATE INDEX problems_visit ON problems(visit_id);
CREATE INDEX problems_enterprise ON problems(enterprise_id);

-- Every step of a problem: raise, assign, resolve, callback, close, comment, escalate.
CREATE TABLE problem_events (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES problems(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT '',
    unit_id INTEGER REFERENCES units(id),
    deadline TEXT,
    level INTEGER
);
CREATE INDEX problem_events_problem ON problem_events(problem_id, id);

-- A visitor who is not in the people register is kept by name.
ALTER TABLE enterprise_visits ADD COLUMN visitor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise_visits ADD COLUMN recorded_by TEXT;
CREATE INDEX enterprise_visits_enterprise ON enterprise_visits(enterprise_id, visited_on);
CREATE INDEX enterprise_tags_tag ON enterprise_tags(tag, enterprise_id);
