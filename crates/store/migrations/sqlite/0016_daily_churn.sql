-- The daily lights run writes every project whose reasons moved ("逾期23天" → "逾期24天"),
-- and its UPDATE names `light` even where the colour stayed: each of those rows was noted
-- in the change log, so every server rebuilt its figures' roll-ups after the run. Now a
-- project is noted only when a column the figures read really changed.
-- Kept parallel with the other engine's 0016_daily_churn.sql.
DROP TRIGGER projects_note_update;
CREATE TRIGGER projects_note_update AFTER UPDATE OF unit_id, stage, division_code, planned_year, started_on, light ON projects
WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.stage IS NOT NEW.stage OR OLD.division_code IS NOT NEW.division_code
    OR OLD.planned_year IS NOT NEW.planned_year OR OLD.started_on IS NOT NEW.started_on OR OLD.light IS NOT NEW.light
BEGIN INSERT INTO changes (project_id) VALUES (NEW.id); END;

-- Each node light the run wrote also voided its project's pack, which the run then wrote
-- again: two project row writes per changed project. Only the lights job writes a node's
-- light and reason (crates/store/src/lights.rs), and it writes the project's pack with them
-- in the same transaction, so those two columns need not void the pack; every other column
-- a pack holds still does.
DROP TRIGGER nodes_void_pack_update;
CREATE TRIGGER nodes_void_pack_update AFTER UPDATE OF project_id, seq, name, planned_on, actual_on, status ON nodes BEGIN
    UPDATE projects SET node_pack = NULL WHERE id IN (OLD.project_id, NEW.project_id) AND node_pack IS NOT NULL;
END;
