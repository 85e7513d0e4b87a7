-- Vocabularies (issue 11): multilingual concept schemes in the manner of W3C SKOS, shipped as
-- data files (features/vocabularies/data) and loaded at start. Records of later features tag
-- themselves with concepts through (scheme_id, concept_id). A concept that leaves its data file
-- is kept, marked withdrawn, so that what was tagged with it keeps its tag.
CREATE TABLE vocabulary_schemes (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  labels jsonb NOT NULL,
  source jsonb NOT NULL,
  position integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE vocabulary_concepts (
  scheme_id text NOT NULL REFERENCES vocabulary_schemes(id),
  id text NOT NULL CHECK (id ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  notation text,
  pref_labels jsonb NOT NULL,
  alt_labels jsonb NOT NULL DEFAULT '{}',
  definition jsonb NOT NULL DEFAULT '{}',
  broader text,
  related text[] NOT NULL DEFAULT '{}',
  position integer NOT NULL,
  withdrawn boolean NOT NULL DEFAULT false,
  -- Every label of every language, accents folded: what `q` searches.
  search_text text NOT NULL DEFAULT '',
  PRIMARY KEY (scheme_id, id),
  FOREIGN KEY (scheme_id, broader) REFERENCES vocabulary_concepts(scheme_id, id) DEFERRABLE INITIALLY DEFERRED
);
