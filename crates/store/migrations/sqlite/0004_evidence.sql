-- Evidence files live in the database, so backups and copies carry them; sizes are capped by
-- the web layer. A close-out's note and who reported/verified it. Parallel with ../postgres/.
ALTER TABLE evidence ADD COLUMN content BLOB;
ALTER TABLE nodes ADD COLUMN reported_by TEXT;
ALTER TABLE nodes ADD COLUMN reported_at TEXT;
ALTER TABLE nodes ADD COLUMN report_note TEXT;
ALTER TABLE nodes ADD COLUMN verified_by TEXT;
ALTER TABLE nodes ADD COLUMN verified_at TEXT;
ALTER TABLE nodes ADD COLUMN return_reason TEXT;
ALTER TABLE node_date_changes ADD COLUMN decision_note TEXT;
CREATE INDEX evidence_node ON evidence(node_id);
CREATE INDEX node_date_changes_node ON node_date_changes(node_id, status);
