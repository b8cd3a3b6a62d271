-- The overdue-node list: open nodes in planned order, read from an index holding only them,
-- so neither engine walks the closed nodes that come first in planned order (PostgreSQL's
-- planner did, after a bulk load: 0.6 s at a million nodes). Kept parallel with the other
-- engine's 0014_open_nodes.sql.
CREATE INDEX nodes_open_by_plan ON nodes(planned_on, id) WHERE status IN ('open', 'reported');
