-- Dependencies that move dates (issue #20, item 2): a finish-to-start lag on each dependency,
-- in working days of the district's calendar (approval steps count 工作日), 0 when written
-- before this column; and on a template step, whether it runs in parallel (并联, 1) with its
-- sibling steps or on the main line (主线, 0). Kept parallel with the other engine's file.
ALTER TABLE node_dependencies ADD COLUMN lag_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE node_templates ADD COLUMN parallel INTEGER NOT NULL DEFAULT 0;
