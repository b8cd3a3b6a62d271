-- 批示 and 督办单 (issue #17, items 3 and 4): a leader's instruction on a project, or a
-- supervision order on a red node or project, tracked for the responsible unit until it
-- replies and the issuer accepts. One table for both kinds, with the loop's history beside it.
-- Kept parallel with the other engine's 0023_instructions.sql.
CREATE TABLE instructions (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    node_id INTEGER REFERENCES nodes(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    body TEXT NOT NULL,
    issued_by INTEGER NOT NULL REFERENCES users(id),
    issued_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    status TEXT NOT NULL,
    replied_on TEXT,
    closed_on TEXT,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    escalated_on TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instructions_project ON instructions(project_id, id);
CREATE INDEX instructions_unit ON instructions(unit_id, status);
CREATE INDEX instructions_issuer ON instructions(issued_by, status);
CREATE TABLE instruction_events (
    id INTEGER PRIMARY KEY,
    instruction_id INTEGER NOT NULL REFERENCES instructions(id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT '',
    deadline TEXT,
    level INTEGER
);
CREATE INDEX instruction_events_instruction ON instruction_events(instruction_id, id);
