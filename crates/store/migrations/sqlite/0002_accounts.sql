-- Accounts, sessions, API tokens, login throttling, and the head of the audit chain.
-- Parallel with ../postgres/0002_accounts.sql.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    active INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- A session is known by the SHA-256 of its cookie value; the value itself is never stored.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL,
    success INTEGER NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);

-- One row, updated first by every audited write: it serialises writers on both engines, so
-- the hash chain never forks.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    entries INTEGER NOT NULL
);
INSERT INTO audit_head (id, entries) VALUES (1, 0);

-- Notifications and jobs that must run once across instances.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    run_on TEXT NOT NULL,
    started_at TEXT NOT NULL,
    instance TEXT NOT NULL,
    PRIMARY KEY (job, run_on)
);
