-- 临期提醒 (issue 17): each reminder a person was sent, by its key (a node and its planned
-- date, or a report's project, kind and period), so the daily job sends each one once however
-- often it runs. Kept parallel with ../sqlite/0022_reminders.sql.
CREATE TABLE reminders_sent (
    user_id BIGINT NOT NULL REFERENCES users(id),
    subject TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    PRIMARY KEY (user_id, subject)
);
