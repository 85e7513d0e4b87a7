-- A search over the library reads, for every match, the row's marking, workflow, languages and
-- title vector — never its bodies, translations or full search vector (the GIN index answers for
-- it). Keep those wide values out of line from a small size on, so that a common word's thousands
-- of matches sit on few pages; keep the small title vector in the row, where ranking reads it.
-- (Applies to rows written from now on; an existing row moves out when it is next written.)
ALTER TABLE knowledge_items SET (toast_tuple_target = 1024);
ALTER TABLE knowledge_items ALTER COLUMN search_head SET STORAGE MAIN;
