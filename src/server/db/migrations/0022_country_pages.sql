-- Country pages (issue 11 §4): each state's priorities register and policy tracker
-- (features/countries). Both are marked like any content (TLP + audience) and translatable
-- (platform/translations.ts: language, source_rev, translations); every change keeps a
-- version row with who and when.

-- The cyber-diplomacy and capacity priorities a country states, entered by its national
-- focal points (country_focal_points).
CREATE TABLE country_priorities (
  id uuid PRIMARY KEY,
  country_code text NOT NULL REFERENCES countries(code),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  body text NOT NULL CHECK (length(body) <= 20000),
  concepts text[] NOT NULL DEFAULT '{}',
  review_date date,
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  -- Raised by every change; the history's version numbers.
  version int NOT NULL DEFAULT 1,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  updated_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX country_priorities_country_idx ON country_priorities (country_code, created_at);
CREATE INDEX country_priorities_concepts_idx ON country_priorities USING gin (concepts);
CREATE INDEX country_priorities_audience_orgs_idx ON country_priorities USING gin (audience_organisations);
CREATE INDEX country_priorities_audience_communities_idx ON country_priorities USING gin (audience_communities);

-- The policy tracker: a country's laws, strategies, regulations, standards and guidelines.
-- An instrument is one work (its ELI-style identifier, eli); the language versions of its
-- text are its expressions (jsonb: [{ language, url, title, authoritative }]).
CREATE TABLE country_instruments (
  id uuid PRIMARY KEY,
  country_code text NOT NULL REFERENCES countries(code),
  type text NOT NULL CHECK (type IN ('law', 'strategy', 'regulation', 'standard', 'guideline')),
  status text NOT NULL CHECK (status IN ('draft', 'public_consultation', 'adopted', 'in_force', 'amended', 'repealed')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
  year int NOT NULL CHECK (year BETWEEN 1900 AND 2200),
  number text NOT NULL CHECK (number ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
  -- /eli/{country}/{type}/{year}/{number}: not unique in the table, so that creating one never
  -- tells its writer about an instrument they may not see (the service refuses duplicates among
  -- those the writer sees).
  eli text NOT NULL,
  date date,
  authority text NOT NULL DEFAULT '' CHECK (length(authority) <= 300),
  authority_org_id uuid REFERENCES organisations(id) ON DELETE SET NULL,
  -- nis2-sectors concepts (scheme/concept).
  sectors text[] NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  -- [{ "instrument": "nis2" | "cer" | "cybersecurity-act" | "5g-toolbox", "relation": "transposes" | …, "note": "…" }]
  eu_links jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(eu_links) = 'array'),
  expressions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(expressions) = 'array'),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  version int NOT NULL DEFAULT 1,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  updated_by uuid REFERENCES people(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX country_instruments_country_idx ON country_instruments (country_code, year DESC);
CREATE INDEX country_instruments_sectors_idx ON country_instruments USING gin (sectors);
CREATE INDEX country_instruments_concepts_idx ON country_instruments USING gin (concepts);
CREATE INDEX country_instruments_audience_orgs_idx ON country_instruments USING gin (audience_organisations);
CREATE INDEX country_instruments_audience_communities_idx ON country_instruments USING gin (audience_communities);

-- Each status an instrument went through, with the day it took effect and who recorded it.
-- Read only with its instrument (which carries the marking).
CREATE TABLE country_instrument_statuses (
  instrument_id uuid NOT NULL REFERENCES country_instruments(id) ON DELETE CASCADE,
  position int NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'public_consultation', 'adopted', 'in_force', 'amended', 'repealed')),
  effective_on date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by uuid REFERENCES people(id) ON DELETE SET NULL,
  PRIMARY KEY (instrument_id, position)
);

-- The history of priorities and instruments: one row per change, the content and marking as
-- they were after it. Read only with its item (the item's current marking), and a version's
-- content only by those its own marking also allowed.
CREATE TABLE country_priority_versions (
  priority_id uuid NOT NULL REFERENCES country_priorities(id) ON DELETE CASCADE,
  version int NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'edited', 'translated', 'translation_removed')),
  changed text[] NOT NULL DEFAULT '{}',
  snapshot jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  by_person uuid REFERENCES people(id) ON DELETE SET NULL,
  PRIMARY KEY (priority_id, version)
);

CREATE TABLE country_instrument_versions (
  instrument_id uuid NOT NULL REFERENCES country_instruments(id) ON DELETE CASCADE,
  version int NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'edited', 'status_changed', 'translated', 'translation_removed')),
  changed text[] NOT NULL DEFAULT '{}',
  snapshot jsonb NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  by_person uuid REFERENCES people(id) ON DELETE SET NULL,
  PRIMARY KEY (instrument_id, version)
);
