-- Results after operation (issue #20, item 3): what the investor promised at signing (投资建设协议:
-- annual output value, tax, jobs, energy use, the year 达产 is promised, 投资强度) and what the
-- project reported each year once operating. Money in whole 元, energy in tonnes of standard coal.
-- One promise per project (versioned); one row per project and year. Parallel with the other engine's.
CREATE TABLE results_promises (
    project_id BIGINT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    output BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    energy_tce BIGINT NOT NULL,
    full_production_year BIGINT NOT NULL,
    investment_per_mu BIGINT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE TABLE results_years (
    project_id BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year BIGINT NOT NULL,
    output BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    energy_tce BIGINT NOT NULL,
    PRIMARY KEY (project_id, year)
);
CREATE INDEX results_years_year ON results_years(year);
