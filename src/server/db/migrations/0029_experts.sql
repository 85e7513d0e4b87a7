-- The expert pool (issue 12, features/experts): people their organisation offers for missions,
-- training and advice. A profile is marked like any content (TLP + audience) but never CLEAR —
-- who the alliance's experts are is for members only — and is written in one language with its
-- translations (platform/translations.ts, kind `expert`). It goes proposed (by the person or an
-- admin of their organisation) → vetted (by an admin of that organisation) → withdrawn; until
-- vetted, and once withdrawn, only its organisation sees it.
CREATE TABLE experts (
  id uuid PRIMARY KEY,
  -- The person offered; their organisation is the profile's author_org_id.
  person_id uuid NOT NULL REFERENCES people(id),
  headline text NOT NULL CHECK (length(headline) BETWEEN 1 AND 200),
  biography text NOT NULL DEFAULT '' CHECK (length(biography) <= 10000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  -- ECSF role profiles, `ecsf-roles/<id>` concept tags.
  skills text[] NOT NULL DEFAULT '{}' CHECK (cardinality(skills) <= 12),
  -- Themes of the vocabularies (`scheme/concept`).
  concepts text[] NOT NULL DEFAULT '{}',
  -- The languages the expert works in (BCP 47), not those their biography is written in.
  languages text[] NOT NULL DEFAULT '{}',
  -- Countries the expert has worked in (ISO 3166-1 alpha-2).
  countries text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'vetted', 'withdrawn')),
  vetted_by uuid REFERENCES people(id),
  vetted_at timestamptz,
  withdrawn_at timestamptz,
  tlp text NOT NULL CHECK (tlp IN ('GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One profile in use per person: a withdrawn one may be followed by a new proposal.
CREATE UNIQUE INDEX experts_person_current_idx ON experts (person_id) WHERE status <> 'withdrawn';

-- Headline and biography in every language version, each stemmed its way: what `q` searches.
-- jsonb_build_object is only STABLE; over text arguments it is immutable in fact.
CREATE OR REPLACE FUNCTION puente_expert_tsvector(lang text, headline text, biography text, translations jsonb)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.puente_translatable_tsvector(lang, jsonb_build_object('headline', headline, 'biography', biography),
           (SELECT coalesce(jsonb_object_agg(k, jsonb_build_object('fields', jsonb_build_object('headline', v->'fields'->>'headline',
                     'biography', v->'fields'->>'biography'))), '{}'::jsonb)
              FROM jsonb_each(coalesce(translations, '{}'::jsonb)) AS t(k, v)),
           '{"headline": "A", "biography": "C"}'::jsonb) $$;

-- `spoken`: the primary subtags of the working languages (puente_primary_languages, migration
-- 0028), so a request for Spanish finds an expert who works in es-419 through a GIN index.
ALTER TABLE experts
  ADD COLUMN search tsvector GENERATED ALWAYS AS (public.puente_expert_tsvector(language, headline, biography, translations)) STORED,
  ADD COLUMN spoken text[] GENERATED ALWAYS AS (public.puente_primary_languages(languages)) STORED;

CREATE INDEX experts_search_idx ON experts USING gin (search);
CREATE INDEX experts_skills_idx ON experts USING gin (skills);
CREATE INDEX experts_concepts_idx ON experts USING gin (concepts);
CREATE INDEX experts_spoken_idx ON experts USING gin (spoken);
CREATE INDEX experts_countries_idx ON experts USING gin (countries);
CREATE INDEX experts_audience_orgs_idx ON experts USING gin (audience_organisations);
CREATE INDEX experts_audience_communities_idx ON experts USING gin (audience_communities);
CREATE INDEX experts_audience_people_idx ON experts USING gin (audience_people);
CREATE INDEX experts_status_idx ON experts (status, id DESC);
CREATE INDEX experts_author_org_idx ON experts (author_org_id, status);

-- When the expert can be called on; read only through a profile the reader may see.
CREATE TABLE expert_availability (
  id uuid PRIMARY KEY,
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on >= starts_on)
);
CREATE INDEX expert_availability_expert_idx ON expert_availability (expert_id, starts_on);

-- Missions the expert carried out, with the evaluation of the organisation that received them
-- (or of the secretariat). offer_id and request_id point at offers and assistance requests
-- (features/offers, features/requests) without a foreign key: the link is shown only where the
-- reader may see what it points at.
CREATE TABLE expert_missions (
  id uuid PRIMARY KEY,
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  starts_on date NOT NULL,
  ends_on date,
  offer_id uuid,
  request_id uuid,
  -- The organisation that received the mission: it (or the secretariat) evaluates it.
  host_org_id uuid REFERENCES organisations(id),
  evaluation smallint CHECK (evaluation BETWEEN 1 AND 5),
  evaluation_comment text NOT NULL DEFAULT '' CHECK (length(evaluation_comment) <= 2000),
  evaluated_by uuid REFERENCES people(id),
  evaluated_by_org uuid REFERENCES organisations(id),
  evaluated_at timestamptz,
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR ends_on >= starts_on),
  CHECK ((evaluation IS NULL) = (evaluated_at IS NULL))
);
CREATE INDEX expert_missions_expert_idx ON expert_missions (expert_id, starts_on DESC);
CREATE INDEX expert_missions_offer_idx ON expert_missions (offer_id) WHERE offer_id IS NOT NULL;
CREATE INDEX expert_missions_request_idx ON expert_missions (request_id) WHERE request_id IS NOT NULL;
