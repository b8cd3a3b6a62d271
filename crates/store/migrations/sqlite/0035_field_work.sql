-- 一线办公 (issue #20 item 6): the district leaders' half-days on site, and the rule each leader is
-- held to (区主要领导一周至少两次一线办公; 责任区/分管联系领导每周至少三分之一时间). Parallel with the
-- other engine's.
CREATE TABLE field_work_entries (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people(id),
    work_date TEXT NOT NULL,
    part TEXT NOT NULL,
    project_id INTEGER REFERENCES projects(id),
    place TEXT NOT NULL DEFAULT '',
    matters TEXT NOT NULL,
    problems_solved TEXT NOT NULL DEFAULT '',
    problem_id INTEGER REFERENCES problems(id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX field_work_entries_half_day ON field_work_entries(person_id, work_date, part);
CREATE INDEX field_work_entries_date ON field_work_entries(work_date);
CREATE INDEX field_work_entries_project ON field_work_entries(project_id);

-- The rule a leader is held to; a leader without a row is held to the share rule, 1/3.
CREATE TABLE field_work_rules (
    person_id INTEGER PRIMARY KEY REFERENCES people(id),
    kind TEXT NOT NULL,
    per_week INTEGER NOT NULL DEFAULT 2,
    share_num INTEGER NOT NULL DEFAULT 1,
    share_den INTEGER NOT NULL DEFAULT 3,
    set_by TEXT NOT NULL,
    set_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
