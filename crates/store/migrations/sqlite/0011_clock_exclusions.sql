-- Approval clocks' excluded spans (审批时限的不计时段): the owner's own preparation time
-- (业主自主时间) and pauses, whose days do not count against a clock's limit. Stored per
-- project; `clock_name` NULL applies to every clock of the project, `until_on` NULL is a
-- span still open (it runs to the as-of date). Parallel with ../postgres/0011_clock_exclusions.sql.
CREATE TABLE clock_exclusions (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    clock_name TEXT,
    from_on TEXT NOT NULL,
    until_on TEXT,
    reason TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX clock_exclusions_project ON clock_exclusions(project_id);
