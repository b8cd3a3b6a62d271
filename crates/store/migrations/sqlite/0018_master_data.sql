-- Master data kept by hand (issue #15): a unit's own code and, once merged, the unit it was
-- merged into (it stays, retired, for the records' history); a version on project types,
-- which are edited whole with their node templates; and the steps a template step waits for.
-- Kept parallel with the other engine's 0018_master_data.sql.
ALTER TABLE units ADD COLUMN code TEXT;
ALTER TABLE units ADD COLUMN merged_into INTEGER REFERENCES units(id);
ALTER TABLE project_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- The seqs of the earlier steps it waits for, comma-separated ('1,3'; '' none). NULL, as in
-- every template written before this column, is the step just before it: what plans did then.
ALTER TABLE node_templates ADD COLUMN depends_on TEXT;
CREATE INDEX units_name ON units(name, active);
