-- Multilingual content (platform/translations.ts): a record keeps its source text in
-- its own columns, the source's language and revision, and its translations beside it.
-- Search reads every version with its own language's stemming, accents folded.

-- The text-search configuration for a BCP 47 tag: the platform's four languages get
-- their stemmers, any other language its plain words.
CREATE OR REPLACE FUNCTION puente_ts_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (CASE split_part(lower(coalesce(lang, '')), '-', 1)
                  WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'pt' THEN 'portuguese' WHEN 'fr' THEN 'french'
                  ELSE 'simple' END)::regconfig $$;

-- One tsvector for a record: its source fields (a jsonb object of field → text) in its
-- language, and every translation's fields in theirs; `weights` gives a field its
-- weight (A–D, D when absent), so a title can rank above a body.
CREATE OR REPLACE FUNCTION puente_translatable_tsvector(lang text, source jsonb, translations jsonb, weights jsonb DEFAULT '{}')
  RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  r tsvector := ''::tsvector;
  k text;
  v jsonb;
  f text;
  val text;
BEGIN
  FOR f, val IN SELECT key, value FROM jsonb_each_text(coalesce(source, '{}'::jsonb)) LOOP
    r := r || setweight(to_tsvector(puente_ts_config(lang), puente_fold(coalesce(val, ''))), coalesce(weights->>f, 'D')::"char");
  END LOOP;
  FOR k, v IN SELECT key, value FROM jsonb_each(coalesce(translations, '{}'::jsonb)) LOOP
    FOR f, val IN SELECT key, value FROM jsonb_each_text(coalesce(v->'fields', '{}'::jsonb)) LOOP
      r := r || setweight(to_tsvector(puente_ts_config(k), puente_fold(coalesce(val, ''))), coalesce(weights->>f, 'D')::"char");
    END LOOP;
  END LOOP;
  RETURN r;
END $$;

-- A query that matches its words in any of the four languages (stemmed each its way)
-- or as plain words, accents folded like the vectors.
CREATE OR REPLACE FUNCTION puente_text_tsquery(q text) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT websearch_to_tsquery('english', puente_fold(q)) || websearch_to_tsquery('spanish', puente_fold(q))
            || websearch_to_tsquery('portuguese', puente_fold(q)) || websearch_to_tsquery('french', puente_fold(q))
            || websearch_to_tsquery('simple', puente_fold(q)) $$;

ALTER TABLE notes
  ADD COLUMN source_rev int NOT NULL DEFAULT 1,
  ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';

ALTER TABLE communities
  ADD COLUMN language text NOT NULL DEFAULT 'en',
  ADD COLUMN source_rev int NOT NULL DEFAULT 1,
  ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';
