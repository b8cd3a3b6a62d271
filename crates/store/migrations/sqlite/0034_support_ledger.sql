-- 惠企政策兑现台账 (issue #20 item 6): what the district paid back or spared its enterprises under
-- each policy, a line per policy, unit and batch (the seed's 社保费返还 to 2,053 firms, 减负 28亿元).
-- Parallel with the other engine's.
CREATE TABLE support_ledger (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    policy TEXT NOT NULL,
    year INTEGER NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    firms INTEGER NOT NULL DEFAULT 0,
    amount INTEGER NOT NULL,
    granted_on TEXT NOT NULL,
    document TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX support_ledger_year ON support_ledger(year, unit_id);
