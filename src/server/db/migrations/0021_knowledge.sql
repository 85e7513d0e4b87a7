-- The good-practice library (issue 11, features/knowledge): items of the alliance's knowledge —
-- good practices, guides, lessons learned, awareness campaigns, training material, exercise
-- scenarios, standards, policy papers, strategies — each marked like any content (TLP +
-- audience) and written in one language with its translations (platform/translations.ts).
-- An item goes draft → in_review (named reviewers) → published; every edit of its source
-- text is kept as a version.
CREATE TABLE knowledge_items (
  id uuid PRIMARY KEY,
  -- Its address on the public portal (/practices/{slug}).
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,119}$'),
  type text NOT NULL CHECK (type IN ('good_practice', 'guide', 'lesson_learned', 'awareness_campaign', 'training_material',
    'exercise_scenario', 'standard', 'policy_paper', 'strategy')),
  -- The source language's text (translations hold the same fields per language).
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 3000),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 200000),
  evidence text NOT NULL DEFAULT '' CHECK (length(evidence) <= 10000),
  outcome text NOT NULL DEFAULT '' CHECK (length(outcome) <= 10000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  countries text[] NOT NULL DEFAULT '{}',
  -- Organisations that wrote it besides the one that holds it (author_org_id).
  co_authors uuid[] NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  -- For whom it is written (kinds of reader: diplomats, CSIRT staff, …).
  audiences text[] NOT NULL DEFAULT '{}',
  date date,
  source_url text CHECK (source_url IS NULL OR source_url ~ '^https?://'),
  licence text,
  attribution text NOT NULL DEFAULT '',
  related uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published')),
  reviewers uuid[] NOT NULL DEFAULT '{}',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);

-- Every language version, each stemmed its way, title first: what `q` searches (GIN). Titles only
-- (`with_body` false): a small vector kept in the row, read to rank the matches (the full one
-- lives out of line, and opening thousands of them to rank costs more than finding them).
-- jsonb_build_object is only STABLE; over text arguments it is immutable in fact.
CREATE OR REPLACE FUNCTION puente_knowledge_tsvector(lang text, title text, summary text, body text, translations jsonb, with_body boolean)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT puente_translatable_tsvector(lang, jsonb_build_object('title', title, 'summary', CASE WHEN with_body THEN summary ELSE '' END, 'body', CASE WHEN with_body THEN body ELSE '' END),
           (SELECT coalesce(jsonb_object_agg(k, jsonb_build_object('fields', jsonb_build_object('title', v->'fields'->>'title',
                     'summary', CASE WHEN with_body THEN v->'fields'->>'summary' ELSE '' END, 'body', CASE WHEN with_body THEN v->'fields'->>'body' ELSE '' END))), '{}'::jsonb)
              FROM jsonb_each(coalesce(translations, '{}'::jsonb)) AS t(k, v)),
           '{"title": "A", "summary": "B", "body": "D"}'::jsonb) $$;

ALTER TABLE knowledge_items
  ADD COLUMN search tsvector GENERATED ALWAYS AS (puente_knowledge_tsvector(language, title, summary, body, translations, true)) STORED,
  ADD COLUMN search_head tsvector GENERATED ALWAYS AS (puente_knowledge_tsvector(language, title, '', '', translations, false)) STORED;

CREATE INDEX knowledge_items_search_idx ON knowledge_items USING gin (search);

-- The languages an item can be read in (primary subtags of its source and translations): a search
-- ranks the reader's language first without opening every candidate's translations.
CREATE OR REPLACE FUNCTION puente_languages(lang text, translations jsonb) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY(SELECT DISTINCT split_part(lower(l), '-', 1) FROM (SELECT lang AS l UNION ALL SELECT jsonb_object_keys(coalesce(translations, '{}'::jsonb))) AS x ORDER BY 1) $$;
ALTER TABLE knowledge_items ADD COLUMN languages text[]
  GENERATED ALWAYS AS (puente_languages(language, translations)) STORED;
CREATE INDEX knowledge_items_concepts_idx ON knowledge_items USING gin (concepts);
CREATE INDEX knowledge_items_countries_idx ON knowledge_items USING gin (countries);
CREATE INDEX knowledge_items_audience_orgs_idx ON knowledge_items USING gin (audience_organisations);
CREATE INDEX knowledge_items_audience_communities_idx ON knowledge_items USING gin (audience_communities);
CREATE INDEX knowledge_items_audience_people_idx ON knowledge_items USING gin (audience_people);
CREATE INDEX knowledge_items_order_idx ON knowledge_items (updated_at DESC, id);

-- The source text at each revision (version = the item's source_rev then), for the history and its diffs.
CREATE TABLE knowledge_versions (
  item_id uuid NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  version int NOT NULL,
  language text NOT NULL,
  fields jsonb NOT NULL,
  author_id uuid REFERENCES people(id),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, version)
);

-- What the named reviewers said, about which revision.
CREATE TABLE knowledge_reviews (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  reviewer_id uuid NOT NULL REFERENCES people(id),
  version int NOT NULL,
  decision text NOT NULL CHECK (decision IN ('approved', 'changes_requested')),
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_reviews_item_idx ON knowledge_reviews (item_id, at);

-- Files of an item (PDF, office documents, images), type checked from their bytes; read only
-- through an item the reader may see.
CREATE TABLE knowledge_attachments (
  id uuid PRIMARY KEY,
  item_id uuid NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  size_bytes integer NOT NULL,
  content bytea NOT NULL,
  uploaded_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX knowledge_attachments_item_idx ON knowledge_attachments (item_id);

-- Snippets: ts_headline reads the original text (accents and case kept for the reader) with
-- configurations that fold accents before stemming, so a query's folded words
-- (puente_text_tsquery) are found and marked in it.
CREATE TEXT SEARCH CONFIGURATION puente_headline_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION puente_headline_en ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION puente_headline_es (COPY = spanish);
ALTER TEXT SEARCH CONFIGURATION puente_headline_es ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION puente_headline_pt (COPY = portuguese);
ALTER TEXT SEARCH CONFIGURATION puente_headline_pt ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, portuguese_stem;
CREATE TEXT SEARCH CONFIGURATION puente_headline_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION puente_headline_fr ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION puente_headline_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION puente_headline_simple ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, simple;

CREATE OR REPLACE FUNCTION puente_headline_config(lang text) RETURNS regconfig
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT (CASE split_part(lower(coalesce(lang, '')), '-', 1)
                  WHEN 'en' THEN 'puente_headline_en' WHEN 'es' THEN 'puente_headline_es' WHEN 'pt' THEN 'puente_headline_pt'
                  WHEN 'fr' THEN 'puente_headline_fr' ELSE 'puente_headline_simple' END)::regconfig $$;
