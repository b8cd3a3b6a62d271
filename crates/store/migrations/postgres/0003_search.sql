-- Full-text search over projects, enterprises and problems: documents are indexed under
-- Chinese character bigrams and Latin words (zhantu_domain::search). doc_id = ref_id * 4 + kind
-- number (project 1, enterprise 2, problem 3). Parallel with ../sqlite/0003_search.sql.
CREATE TABLE search_fts (
    doc_id BIGINT PRIMARY KEY,
    tokens TEXT NOT NULL,
    kind TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED
);
CREATE INDEX search_fts_tsv ON search_fts USING GIN (tsv);
