-- The lights job reads every project's nodes each day. Reading a million node rows costs
-- seconds; reading a hundred thousand projects with their nodes packed into one text does
-- not. `projects.node_pack` is that text, written by the lights job (which knows every
-- node's facts and light at that moment); any change to a node a light depends on voids it
-- (NULL), so a pack is never stale: the job re-reads the nodes of voided projects only.
-- Kept parallel with the other engine's 0012_node_pack.sql.
ALTER TABLE projects ADD COLUMN node_pack TEXT;

CREATE FUNCTION nodes_void_pack() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE projects SET node_pack = NULL WHERE id = OLD.project_id AND node_pack IS NOT NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE projects SET node_pack = NULL WHERE id = NEW.project_id AND node_pack IS NOT NULL;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER nodes_void_pack_insert_delete AFTER INSERT OR DELETE ON nodes
    FOR EACH ROW EXECUTE FUNCTION nodes_void_pack();
CREATE TRIGGER nodes_void_pack_update AFTER UPDATE OF project_id, seq, name, planned_on, actual_on, status, light, light_reason ON nodes
    FOR EACH ROW EXECUTE FUNCTION nodes_void_pack();

-- The job's other reads: the newest report per project and kind, and the year's investment,
-- answered from the indexes alone.
CREATE INDEX progress_reports_latest ON progress_reports(project_id, period_kind, period_end);
CREATE INDEX monthly_investment_sum ON monthly_investment(year, project_id, month, amount);
-- Registry and battle-map filters by division (a district's code selects its streets too).
CREATE INDEX projects_division ON projects(division_code, id);
