-- Points of contact (issue 3 §2, §3, §6 search): the directory of diplomatic,
-- technical, 24/7, crisis-management and capacity-building contacts, with
-- per-field sharing, nomination by national focal points and organisation
-- admins, approval by the secretariat, and yearly confirmation.
-- PostgreSQL 15 / PGlite: ids are made in the app.

-- Lower-case and accent-folded text, IMMUTABLE so that it can be indexed
-- (unaccent() itself is only STABLE because its dictionary could change).
CREATE OR REPLACE FUNCTION puente_fold(t text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, lower(t)) $$;

-- National focal points: set by the secretariat; they nominate and remove their
-- country's diplomatic and crisis-management contacts.
CREATE TABLE country_focal_points (
  country_code text NOT NULL REFERENCES countries(code),
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  added_by uuid REFERENCES people(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (country_code, person_id)
);
CREATE INDEX country_focal_points_person_idx ON country_focal_points (person_id);

CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  country_code text NOT NULL REFERENCES countries(code),
  -- the Puente account of the person, if they have one
  person_id uuid REFERENCES people(id) ON DELETE SET NULL,
  kinds text[] NOT NULL CHECK (
    cardinality(kinds) BETWEEN 1 AND 5
    AND kinds <@ ARRAY['diplomatic', 'technical', 'operational_24_7', 'crisis_management', 'capacity_building']::text[]),
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  -- a shared team mailbox or desk rather than one person
  is_team_mailbox boolean NOT NULL DEFAULT false,
  position text NOT NULL DEFAULT '',
  languages text[] NOT NULL DEFAULT '{}',
  time_zone text,
  -- fields below may carry a narrower marking of their own (field_markings)
  emails text[] NOT NULL DEFAULT '{}',
  phone text,
  emergency_phone text,
  availability text,
  -- [{ "type": "signal" | "threema" | "matrix" | "secure_phone" | "other", "address": "…" }]
  secure_channels jsonb NOT NULL DEFAULT '[]',
  pgp_key text,
  pgp_fingerprint text,
  pgp_algorithm text,
  pgp_expires_at timestamptz,
  pgp_revoked boolean NOT NULL DEFAULT false,
  -- { "<field>": { "tlp": "AMBER", "audience": { "organisations": [], "communities": [], "people": [] } } }
  -- for emails, phone, emergency_phone, availability, secure_channels, pgp_key; absent = the entry's marking
  field_markings jsonb NOT NULL DEFAULT '{}',
  valid_until date,
  last_confirmed_at timestamptz NOT NULL DEFAULT now(),
  last_confirmed_by uuid REFERENCES people(id) ON DELETE SET NULL,
  last_reminded_at timestamptz,
  status text NOT NULL DEFAULT 'nominated' CHECK (status IN ('nominated', 'active', 'rejected', 'removed')),
  status_reason text,
  nominated_by uuid REFERENCES people(id) ON DELETE SET NULL,
  decided_by uuid REFERENCES people(id) ON DELETE SET NULL,
  decided_at timestamptz,
  -- the standard marking columns (the entry as a whole)
  tlp text NOT NULL DEFAULT 'GREEN' CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid REFERENCES people(id),
  author_org_id uuid REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_name_trgm ON contacts USING gin (puente_fold(full_name) gin_trgm_ops);
CREATE INDEX contacts_organisation_idx ON contacts (organisation_id);
CREATE INDEX contacts_country_idx ON contacts (country_code, status);
CREATE INDEX contacts_kinds_idx ON contacts USING gin (kinds);
CREATE INDEX contacts_languages_idx ON contacts USING gin (languages);
CREATE INDEX contacts_status_confirmed_idx ON contacts (status, last_confirmed_at);
CREATE INDEX contacts_person_idx ON contacts (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX contacts_tlp_idx ON contacts (tlp);
CREATE INDEX contacts_audience_orgs_idx ON contacts USING gin (audience_organisations);
CREATE INDEX contacts_audience_communities_idx ON contacts USING gin (audience_communities);
CREATE INDEX contacts_audience_people_idx ON contacts USING gin (audience_people);
CREATE INDEX organisations_name_fold_trgm ON organisations USING gin (puente_fold(name) gin_trgm_ops);
