-- Directory search looks up positions by trigram too (see features/contacts/repository.ts).
CREATE INDEX contacts_position_trgm ON contacts USING gin (puente_fold(position) gin_trgm_ops);
