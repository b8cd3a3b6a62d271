-- The programmes around the projects (issue #7): lead notes and stage reasons, batch
-- readiness gates, campaign and supervision-round status with their reports, the follow-up
-- problem of a supervision finding. Parallel with ../sqlite/0008_pipeline.sql.
ALTER TABLE attraction_leads ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE attraction_leads ADD COLUMN stage_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX attraction_leads_team ON attraction_leads(team_unit_id, stage);
-- Gate node names a project must have closed to join (顿号-separated).
ALTER TABLE batches ADD COLUMN gate_nodes TEXT NOT NULL DEFAULT '施工许可';
-- open → closed (with the closing report).
ALTER TABLE campaigns ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE campaigns ADD COLUMN closing_note TEXT NOT NULL DEFAULT '';
-- open → closed (with the round's report).
ALTER TABLE supervision_rounds ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE supervision_rounds ADD COLUMN report TEXT NOT NULL DEFAULT '';
ALTER TABLE supervision_targets ADD COLUMN problem_id BIGINT REFERENCES problems(id);
ALTER TABLE supervision_targets ADD COLUMN found_by TEXT NOT NULL DEFAULT '';
CREATE INDEX land_ledger_project ON land_ledger(project_id);
