-- The daily lights run writes every project whose reasons moved ("逾期23天" → "逾期24天"),
-- and its UPDATE names `light` even where the colour stayed: each of those rows was noted
-- in the change log, so every server rebuilt its figures' roll-ups after the run. Now a
-- project is noted only when a column the figures read really changed.
-- Kept parallel with the other engine's 0016_daily_churn.sql.
DROP TRIGGER projects_note_update ON projects;
CREATE TRIGGER projects_note_update AFTER UPDATE OF unit_id, stage, division_code, planned_year, started_on, light ON projects
    FOR EACH ROW
    WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.stage IS DISTINCT FROM NEW.stage
        OR OLD.division_code IS DISTINCT FROM NEW.division_code OR OLD.planned_year IS DISTINCT FROM NEW.planned_year
        OR OLD.started_on IS DISTINCT FROM NEW.started_on OR OLD.light IS DISTINCT FROM NEW.light)
    EXECUTE FUNCTION note_change();

-- Each node light the run wrote also voided its project's pack, which the run then wrote
-- again: two project row writes per changed project. Only the lights job writes a node's
-- light and reason (crates/store/src/lights.rs), and it writes the project's pack with them
-- in the same transaction, so those two columns need not void the pack; every other column
-- a pack holds still does.
DROP TRIGGER nodes_void_pack_update ON nodes;
CREATE TRIGGER nodes_void_pack_update AFTER UPDATE OF project_id, seq, name, planned_on, actual_on, status ON nodes
    FOR EACH ROW EXECUTE FUNCTION nodes_void_pack();

-- The same run leaves a dead row version behind each project and node it rewrote (tens of
-- thousands a day at a province), and until they are vacuumed the registry's counts visit
-- the table instead of answering from the index (20 ms became 450 ms). Vacuum these tables
-- after 2% of their rows changed instead of the default 20%, so autovacuum settles them
-- within a minute or two of the run. (SQLite rewrites rows in place: nothing to do there.)
ALTER TABLE projects SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE nodes SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
ALTER TABLE changes SET (autovacuum_vacuum_scale_factor = 0.02);
