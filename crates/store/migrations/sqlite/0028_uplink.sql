-- Reporting up (issue #19, item 4): the packages this zhantu (a city's or a province's) has
-- received from the districts below it, one per (division, period), the latest revision kept
-- whole with its digest. Parallel with ../postgres/.
CREATE TABLE uplink_received (
    division TEXT NOT NULL,
    period TEXT NOT NULL,
    district_name TEXT NOT NULL,
    digest TEXT NOT NULL,
    projects INTEGER NOT NULL,
    totals TEXT NOT NULL,
    package TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_by TEXT NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (division, period)
);
CREATE INDEX uplink_received_period ON uplink_received(period, division);
