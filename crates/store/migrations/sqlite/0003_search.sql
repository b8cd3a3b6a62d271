-- Full-text search over projects, enterprises and problems: documents are indexed under
-- Chinese character bigrams and Latin words (zhantu_domain::search). rowid = ref_id * 4 + kind
-- number (project 1, enterprise 2, problem 3). Parallel with ../postgres/0003_search.sql.
CREATE VIRTUAL TABLE search_fts USING fts5(tokens, kind UNINDEXED, ref_id UNINDEXED, tokenize = 'unicode61');
