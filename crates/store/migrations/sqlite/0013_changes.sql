-- Change capture for the in-memory roll-ups of the figures (crates/store/src/rollup.rs):
-- every write to a row a figure depends on notes the project (or problem) it touched, so
-- each server process, however many share the database, brings its roll-ups up to date by
-- reloading just those. A row with neither id means "reload everything".
-- Kept parallel with the other engine's 0013_changes.sql.
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER,
    problem_id INTEGER
);

CREATE TRIGGER projects_note_insert AFTER INSERT ON projects BEGIN INSERT INTO changes (project_id) VALUES (NEW.id); END;
CREATE TRIGGER projects_note_delete AFTER DELETE ON projects BEGIN INSERT INTO changes (project_id) VALUES (OLD.id); END;
CREATE TRIGGER projects_note_update AFTER UPDATE OF unit_id, stage, division_code, planned_year, started_on, light ON projects
BEGIN INSERT INTO changes (project_id) VALUES (NEW.id); END;

CREATE TRIGGER nodes_note_insert AFTER INSERT ON nodes BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); END;
CREATE TRIGGER nodes_note_delete AFTER DELETE ON nodes BEGIN INSERT INTO changes (project_id) VALUES (OLD.project_id); END;
CREATE TRIGGER nodes_note_update AFTER UPDATE OF project_id, planned_on, actual_on, status ON nodes
BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); INSERT INTO changes (project_id) SELECT OLD.project_id WHERE OLD.project_id <> NEW.project_id; END;

CREATE TRIGGER project_categories_note_insert AFTER INSERT ON project_categories BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); END;
CREATE TRIGGER project_categories_note_delete AFTER DELETE ON project_categories BEGIN INSERT INTO changes (project_id) VALUES (OLD.project_id); END;
CREATE TRIGGER project_categories_note_update AFTER UPDATE ON project_categories
BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); INSERT INTO changes (project_id) SELECT OLD.project_id WHERE OLD.project_id <> NEW.project_id; END;

CREATE TRIGGER annual_plans_note_insert AFTER INSERT ON annual_plans BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); END;
CREATE TRIGGER annual_plans_note_delete AFTER DELETE ON annual_plans BEGIN INSERT INTO changes (project_id) VALUES (OLD.project_id); END;
CREATE TRIGGER annual_plans_note_update AFTER UPDATE ON annual_plans
BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); INSERT INTO changes (project_id) SELECT OLD.project_id WHERE OLD.project_id <> NEW.project_id; END;

CREATE TRIGGER monthly_investment_note_insert AFTER INSERT ON monthly_investment BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); END;
CREATE TRIGGER monthly_investment_note_delete AFTER DELETE ON monthly_investment BEGIN INSERT INTO changes (project_id) VALUES (OLD.project_id); END;
CREATE TRIGGER monthly_investment_note_update AFTER UPDATE OF project_id, year, month, amount ON monthly_investment
BEGIN INSERT INTO changes (project_id) VALUES (NEW.project_id); INSERT INTO changes (project_id) SELECT OLD.project_id WHERE OLD.project_id <> NEW.project_id; END;

CREATE TRIGGER problems_note_insert AFTER INSERT ON problems BEGIN INSERT INTO changes (problem_id) VALUES (NEW.id); END;
CREATE TRIGGER problems_note_delete AFTER DELETE ON problems BEGIN INSERT INTO changes (problem_id) VALUES (OLD.id); END;
CREATE TRIGGER problems_note_update AFTER UPDATE OF unit_id, raised_on, closed_on ON problems
BEGIN INSERT INTO changes (problem_id) VALUES (NEW.id); END;

-- A unit moving to another division moves its projects and problems: reload everything.
CREATE TRIGGER units_note_update AFTER UPDATE OF division_code ON units BEGIN INSERT INTO changes (project_id) VALUES (NULL); END;
