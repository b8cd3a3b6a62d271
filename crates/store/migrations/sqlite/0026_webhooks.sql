-- Webhooks (issue #19, item 2): subscriptions of other systems to the district's events, the
-- outbox of deliveries written in the same transaction as the change they tell of (so a
-- restart loses nothing), and the log of every try. Parallel with ../postgres/.
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE webhook_outbox (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    data TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT,
    delivered_at TEXT,
    failed_at TEXT
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_at);
CREATE INDEX webhook_outbox_subscription ON webhook_outbox(subscription_id, id);
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES webhook_outbox(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    status INTEGER,
    error TEXT NOT NULL DEFAULT '',
    ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts(outbox_id, id);
