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
