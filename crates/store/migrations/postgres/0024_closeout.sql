-- Close-out in view of its evidence (issue 17): when the server received each evidence file,
-- and what a photo's EXIF says (when taken, where: microdegrees, exact on both engines);
-- where a project is, to warn when a photo was taken far from it. Parallel with ../sqlite/.
ALTER TABLE evidence ADD COLUMN received_at TEXT;
ALTER TABLE evidence ADD COLUMN taken_at TEXT;
ALTER TABLE evidence ADD COLUMN lat_e6 BIGINT;
ALTER TABLE evidence ADD COLUMN lng_e6 BIGINT;
ALTER TABLE projects ADD COLUMN lat_e6 BIGINT;
ALTER TABLE projects ADD COLUMN lng_e6 BIGINT;
