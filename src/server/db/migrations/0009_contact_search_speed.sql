-- Directory search speed (features/contacts/repository.ts, searchContacts).
-- The folded name and position are stored, generated from the entry on every write, so a
-- search compares stored text instead of folding (unaccent + lower) each candidate again
-- when the trigram index is rechecked and when results are ranked by similarity.
ALTER TABLE contacts
  ADD COLUMN search_name text GENERATED ALWAYS AS (puente_fold(full_name)) STORED,
  ADD COLUMN search_position text GENERATED ALWAYS AS (puente_fold(position)) STORED;
CREATE INDEX contacts_search_name_trgm ON contacts USING gin (search_name gin_trgm_ops);
CREATE INDEX contacts_search_position_trgm ON contacts USING gin (search_position gin_trgm_ops);
-- Replaced by the two above (same text, now stored).
DROP INDEX IF EXISTS contacts_name_trgm;
DROP INDEX IF EXISTS contacts_position_trgm;
-- Organisations are looked up by folded name (organisations_name_fold_trgm) or folded
-- acronym: without this index the acronym half of the lookup scanned every organisation.
CREATE INDEX organisations_acronym_fold_trgm ON organisations USING gin (puente_fold(coalesce(acronym, '')) gin_trgm_ops);
