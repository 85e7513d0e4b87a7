-- The catalogue of capacity-building offers (issue 12, features/offers): courses, summer schools,
-- exercises, study visits, technical assistance, expert missions, fellowships and webinars that
-- member organisations offer, each marked like any content (TLP + audience) and written in one
-- language with its translations (platform/translations.ts, kind `offer`). An offer goes
-- draft → published → closed; its sessions carry dates, place and seats; its partners carry
-- their IATI roles so that triangular cooperation is recorded as such (and exported as IATI 2.03).
CREATE TABLE offers (
  id uuid PRIMARY KEY,
  -- Its address on the public portal (/offers/{slug}).
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,119}$'),
  type text NOT NULL CHECK (type IN ('training-course', 'summer-school', 'exercise-tabletop', 'exercise-technical', 'study-visit',
    'assistance-strategy', 'assistance-legislation', 'assistance-national-agency', 'assistance-csirt-soc',
    'assistance-technology-transfer', 'expert-mission', 'fellowship', 'webinar')),
  -- The source language's text (translations hold the same fields per language).
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 3000),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 50000),
  eligibility text NOT NULL DEFAULT '' CHECK (length(eligibility) <= 10000),
  cost text NOT NULL DEFAULT '' CHECK (length(cost) <= 3000),
  funding text NOT NULL DEFAULT '' CHECK (length(funding) <= 3000),
  how_to_apply text NOT NULL DEFAULT '' CHECK (length(how_to_apply) <= 10000),
  selection_criteria text NOT NULL DEFAULT '' CHECK (length(selection_criteria) <= 10000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  -- Who it is for (src/shared/capacity.ts TARGET_AUDIENCES).
  audiences text[] NOT NULL DEFAULT '{}' CHECK (audiences <@ ARRAY['mfa-points-of-contact', 'cyber-ambassadors', 'csirt-staff', 'officials',
    'private-sector', 'civil-society', 'youth']::text[]),
  -- The languages it is given in (BCP 47), not the languages its description is written in.
  languages text[] NOT NULL DEFAULT '{}',
  format text NOT NULL CHECK (format IN ('online', 'in-person', 'hybrid')),
  -- Eligible or beneficiary countries (ISO 3166-1 alpha-2); none: open to every member country.
  countries text[] NOT NULL DEFAULT '{}',
  requires_endorsement boolean NOT NULL DEFAULT false,
  -- IATI CollaborationType; 8 is "bilateral, triangular co-operation".
  collaboration_type text CHECK (collaboration_type IN ('1', '2', '3', '4', '6', '7', '8')),
  -- IATI default AidType (e.g. D02 other technical assistance) and FlowType (10 ODA), where known.
  aid_type text CHECK (aid_type ~ '^[A-H][0-9]{2}$'),
  flow_type text CHECK (flow_type ~ '^[0-9]{2}$'),
  -- The provider's IATI organisation identifier (e.g. XM-DAC-41301), when it has one.
  provider_ref text CHECK (length(provider_ref) BETWEEN 3 AND 100),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  -- The provider: the organisation that offers it and answers for it.
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  closed_at timestamptz
);

-- Every language version of its title, summary and description, each stemmed its way: what `q`
-- searches (the library's functions, migration 0027, named with their schema for a restore).
CREATE OR REPLACE FUNCTION puente_offer_tsvector(lang text, title text, summary text, description text, translations jsonb)
  RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.puente_translatable_tsvector(lang, jsonb_build_object('title', title, 'summary', summary, 'description', description),
           (SELECT coalesce(jsonb_object_agg(k, jsonb_build_object('fields', jsonb_build_object('title', v->'fields'->>'title',
                     'summary', v->'fields'->>'summary', 'description', v->'fields'->>'description'))), '{}'::jsonb)
              FROM jsonb_each(coalesce(translations, '{}'::jsonb)) AS t(k, v)),
           '{"title": "A", "summary": "B", "description": "D"}'::jsonb) $$;

-- The primary subtags of language tags ("es-419" → "es"): a request for Spanish finds an offer
-- given in Latin American Spanish, through a GIN index.
CREATE OR REPLACE FUNCTION puente_primary_languages(tags text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ARRAY(SELECT DISTINCT split_part(lower(x), '-', 1) FROM unnest(coalesce(tags, '{}'::text[])) AS x ORDER BY 1) $$;

ALTER TABLE offers
  ADD COLUMN search tsvector GENERATED ALWAYS AS (public.puente_offer_tsvector(language, title, summary, description, translations)) STORED,
  ADD COLUMN spoken text[] GENERATED ALWAYS AS (public.puente_primary_languages(languages)) STORED,
  ADD COLUMN text_languages text[] GENERATED ALWAYS AS (public.puente_languages(language, translations)) STORED;

CREATE INDEX offers_search_idx ON offers USING gin (search);
CREATE INDEX offers_concepts_idx ON offers USING gin (concepts);
CREATE INDEX offers_spoken_idx ON offers USING gin (spoken);
CREATE INDEX offers_countries_idx ON offers USING gin (countries);
CREATE INDEX offers_audience_orgs_idx ON offers USING gin (audience_organisations);
CREATE INDEX offers_audience_communities_idx ON offers USING gin (audience_communities);
CREATE INDEX offers_audience_people_idx ON offers USING gin (audience_people);
CREATE INDEX offers_status_idx ON offers (status, id DESC);
CREATE INDEX offers_author_org_idx ON offers (author_org_id);

-- The organisations behind an offer besides its provider, each with its IATI role: a member
-- organisation, or one outside the alliance named with its IATI identifier. An organisation may
-- hold several roles (one row each).
CREATE TABLE offer_partners (
  id uuid PRIMARY KEY,
  offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  organisation_id uuid REFERENCES organisations(id),
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  iati_ref text CHECK (length(iati_ref) BETWEEN 3 AND 100),
  -- IATI OrganisationType (10 government, 21 international NGO, 40 multilateral, …), for outside organisations.
  iati_type text CHECK (iati_type ~ '^[0-9]{2}$'),
  role text NOT NULL CHECK (role IN ('funding', 'accountable', 'extending', 'implementing')),
  position int NOT NULL DEFAULT 0,
  CHECK (organisation_id IS NOT NULL OR length(name) >= 2)
);
CREATE UNIQUE INDEX offer_partners_unique_idx ON offer_partners (offer_id, role, coalesce(organisation_id::text, lower(name)));
CREATE INDEX offer_partners_org_idx ON offer_partners (organisation_id) WHERE organisation_id IS NOT NULL;

-- When and where an offer is given. Instants are stored as such; `time_zone` (IANA) is the
-- session's own, in which its dates are shown beside the reader's. `confirmed` counts the seats
-- taken by confirmed applications (kept by the applications of the second wave; until then 0),
-- and the CHECK keeps it from ever passing the seats.
CREATE TABLE offer_sessions (
  id uuid PRIMARY KEY,
  offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  place text NOT NULL DEFAULT '' CHECK (length(place) <= 300),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  online boolean NOT NULL DEFAULT false,
  seats int NOT NULL CHECK (seats BETWEEN 1 AND 100000),
  confirmed int NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
  application_deadline timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (confirmed <= seats),
  CHECK (application_deadline IS NULL OR application_deadline <= ends_at)
);
CREATE INDEX offer_sessions_offer_idx ON offer_sessions (offer_id, starts_at);
CREATE INDEX offer_sessions_window_idx ON offer_sessions (starts_at, ends_at);
