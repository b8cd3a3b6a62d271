-- Attraction clocks (issue #20, item 5): a lead's milestones — received (when it differs from
-- the first contact), responded, assessed (研判, with its conclusion) and fed back — its
-- progress reports, and the deadlines the clocks count against. Parallel with the other
-- engine's.
CREATE TABLE lead_milestones (
    lead_id INTEGER PRIMARY KEY REFERENCES attraction_leads(id) ON DELETE CASCADE,
    received_on TEXT,
    responded_on TEXT,
    assessed_on TEXT,
    -- pursue / watch / decline (重点跟进 / 保持联系 / 不予跟进).
    assessment TEXT,
    assessment_note TEXT NOT NULL DEFAULT '',
    feedback_on TEXT,
    feedback_note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE lead_progress_reports (
    id INTEGER PRIMARY KEY,
    lead_id INTEGER NOT NULL REFERENCES attraction_leads(id) ON DELETE CASCADE,
    reported_on TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX lead_progress_reports_lead ON lead_progress_reports(lead_id, reported_on);
-- The deadlines (source: issue #20 item 5). Kinds of days are fixed by the clock: response,
-- 研判 and feedback count working days (the official calendar, holidays and make-up days);
-- progress reports count calendar days. major_lead_yuan: a lead of at least this agreed or
-- intended investment is major (重大线索, 研判 within 7 working days instead of 3).
CREATE TABLE lead_clock_settings (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO lead_clock_settings (key, value) VALUES
    ('respond_working_days', 1),
    ('assess_working_days', 3),
    ('assess_major_working_days', 7),
    ('feedback_working_days', 7),
    ('progress_calendar_days', 14),
    ('major_lead_yuan', 100000000);
