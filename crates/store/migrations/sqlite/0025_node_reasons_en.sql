-- English light reasons everywhere (issue #18): a node's reason is kept in English beside the
-- Chinese one, and so is the headline of each period's row of a project's light history. The
-- lights run writes both. Node packs (0012) now carry the English reason too, so every pack
-- is voided here: the next run packs the nodes afresh, finds each node's English missing and
-- writes it (the daily run fills every row written before this migration; until then the
-- pages show the Chinese reason, marked as such). Past periods' history rows keep their
-- Chinese reason only, until the history is backfilled again.
-- Parallel with ../postgres/0025_node_reasons_en.sql.
ALTER TABLE nodes ADD COLUMN light_reason_en TEXT;
ALTER TABLE light_snapshots ADD COLUMN reason_en TEXT;
UPDATE projects SET node_pack = NULL WHERE node_pack IS NOT NULL;
