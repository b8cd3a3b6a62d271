-- Statistics entry and reconciliation (issue #20, item 4). A project's statistics code (统计代码),
-- given by the statistics bureau at entry (入库, with projects.in_statistics_on), and the
-- bureau's counted investment per project and month (累计列统投资: cumulative, year to month),
-- to reconcile against the projects' own reported investment. The official FAI series by
-- division stays in fai_monthly (a street's or town's code beside the district's). The threshold
-- lives in settings (statistics_min_total, statistics_requires_start), defaults in the domain.
-- Parallel with the other engine's.
ALTER TABLE projects ADD COLUMN statistics_code TEXT;
CREATE TABLE statistics_counted (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    cumulative BIGINT NOT NULL,
    PRIMARY KEY (project_id, year, month)
);
CREATE INDEX statistics_counted_period ON statistics_counted(year, month);
