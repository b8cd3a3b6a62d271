-- A campaign's quantitative targets besides its nodes (issue #20 item 6, 量化指标): e.g. 房屋政策处理
-- 2,200 间, 打通断头路 11 条, each with what has been achieved so far. Parallel with the other engine's.
CREATE TABLE campaign_measures (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    target INTEGER NOT NULL,
    achieved INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, name)
);
