-- Spreadsheet imports (issue #6): an external id for records that come from another system
-- without a project code or credit code, so a second import updates instead of duplicating.
-- Kept parallel with the other engine's 0010_imports.sql.
ALTER TABLE projects ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX projects_external_id ON projects(external_id);
ALTER TABLE nodes ADD COLUMN external_id TEXT;
CREATE INDEX nodes_external_id ON nodes(project_id, external_id);
-- problems.external_id comes with 0007_service.sql; imports match on it uniquely.
CREATE UNIQUE INDEX problems_external_id ON problems(external_id);
