-- The in-app inbox: what the daily lights job (and later workflows) tell each user.
-- Parallel with ../postgres/0006_notifications.sql.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);
