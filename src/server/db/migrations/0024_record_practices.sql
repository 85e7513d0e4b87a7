-- Activity records name the good practices (library items) they concern, beside their published
-- text so that the text still round-trips byte for byte. Ids only: an item is always read through
-- the library's policy and workflow (features/knowledge visibleItems), so a link to an item the
-- reader may not see is left out, and one to an item since deleted points at nothing.
ALTER TABLE activity_records ADD COLUMN practices uuid[] NOT NULL DEFAULT '{}';
CREATE INDEX activity_records_practices_idx ON activity_records USING gin (practices);
