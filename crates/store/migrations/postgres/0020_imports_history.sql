-- A district's record by import (issue #15): a groundbreaking batch's member that came from an
-- import is recorded as the file gave it, not admitted through today's readiness gate; it is
-- marked so. Kept parallel with the other engine's 0020_imports_history.sql.
ALTER TABLE batch_projects ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
