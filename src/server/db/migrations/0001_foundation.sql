-- Puente foundation: reference data tables, identity, communities, the marking
-- columns every shareable record carries, audit, events, mail outbox.
-- Runs on PostgreSQL 15 and PGlite: no PG16+ features; ids are UUIDv7 made in the app.

CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The 27 EU and 33 CELAC states, plus one marker row (kind 'international') for
-- international bodies, which have no country.
CREATE TABLE countries (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z]{2,3}$'),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('state', 'international')),
  region text NOT NULL CHECK (region IN ('EU', 'LAC', 'INT')),
  subregion text NOT NULL,
  languages text[] NOT NULL DEFAULT '{}'
);

-- NIS2 Annex I (highly critical) and Annex II (other critical) sectors, with the
-- codes of the MISP nis2 taxonomy so tags travel unchanged.
CREATE TABLE sectors (
  code text PRIMARY KEY,
  annex text NOT NULL CHECK (annex IN ('I', 'II')),
  name text NOT NULL,
  position int NOT NULL
);

CREATE TABLE organisations (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
  acronym text,
  country_code text NOT NULL REFERENCES countries(code),
  type text NOT NULL CHECK (type IN (
    'mfa', 'national_cyber_agency', 'national_csirt', 'sectoral_csirt', 'other_government',
    'private_sector', 'academia', 'civil_society', 'international_organisation', 'team_europe_agency')),
  sectors text[] NOT NULL DEFAULT '{}',
  website text,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'approved', 'rejected', 'suspended')),
  status_reason text,
  decided_at timestamptz,
  decided_by uuid,
  mfa_required boolean NOT NULL DEFAULT false,
  -- who asked to join, kept until the request is decided
  requester_name text,
  requester_email text,
  requester_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisations_name_country_key ON organisations (lower(name), country_code);
CREATE INDEX organisations_status_idx ON organisations (status);
CREATE INDEX organisations_name_trgm ON organisations USING gin (name gin_trgm_ops);

CREATE TABLE people (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text,
  languages text[] NOT NULL DEFAULT '{en}',
  ui_language text NOT NULL DEFAULT 'en' CHECK (ui_language IN ('en', 'es', 'pt', 'fr')),
  time_zone text NOT NULL DEFAULT 'UTC',
  roles text[] NOT NULL DEFAULT '{member}',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('invited', 'active', 'disabled')),
  mfa_secret text,
  mfa_enabled boolean NOT NULL DEFAULT false,
  mfa_enabled_at timestamptz,
  -- last TOTP time step accepted, so a code cannot be replayed
  mfa_last_step bigint,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  last_login_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (roles <@ ARRAY['member', 'org_admin', 'secretariat']::text[])
);
CREATE UNIQUE INDEX people_email_key ON people (lower(email));
CREATE INDEX people_organisation_idx ON people (organisation_id);

CREATE TABLE recovery_codes (
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (person_id, code_hash)
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  -- true between a correct password and a correct MFA code
  mfa_pending boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_person_idx ON sessions (person_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  name text NOT NULL,
  scope text NOT NULL CHECK (scope IN ('read', 'write')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_person_idx ON api_tokens (person_id);

CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  email text NOT NULL,
  name text,
  roles text[] NOT NULL DEFAULT '{member}',
  token_hash text NOT NULL UNIQUE,
  invited_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX invitations_org_idx ON invitations (organisation_id);

CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE communities (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_by uuid REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE community_organisations (
  community_id uuid NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (community_id, organisation_id)
);
CREATE INDEX community_organisations_org_idx ON community_organisations (organisation_id);

CREATE TABLE community_people (
  community_id uuid NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  is_admin boolean NOT NULL DEFAULT false,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (community_id, person_id)
);
CREATE INDEX community_people_person_idx ON community_people (person_id);

-- A shared note: the first marked record type. Every shareable table carries the
-- same marking columns (tlp, pap, author_id, author_org_id, audience_*), which
-- the access policy (platform/access) reads.
CREATE TABLE notes (
  id uuid PRIMARY KEY,
  title text NOT NULL,
  body text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_tlp_idx ON notes (tlp);
CREATE INDEX notes_audience_orgs_idx ON notes USING gin (audience_organisations);
CREATE INDEX notes_audience_communities_idx ON notes USING gin (audience_communities);
CREATE INDEX notes_audience_people_idx ON notes USING gin (audience_people);

-- Append-only, hash-chained. Each row's hash covers its content and the previous hash.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_id uuid,
  actor_org_id uuid,
  organisation_id uuid,
  action text NOT NULL,
  target_type text,
  target_id text,
  ip text,
  details jsonb NOT NULL DEFAULT '{}',
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_org_idx ON audit_log (organisation_id, seq);
CREATE INDEX audit_log_actor_org_idx ON audit_log (actor_org_id, seq);

-- Events others must see, written in the same transaction as the change and
-- announced with NOTIFY puente_events. Marked like any shareable record.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  subject_type text,
  subject_id text,
  payload jsonb NOT NULL DEFAULT '{}',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN',
  author_id uuid,
  author_org_id uuid,
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);

CREATE TABLE mail_outbox (
  id uuid PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text,
  purpose text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  attempts int NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC);

-- Fixed-window rate-limit counters shared by every instance.
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  count int NOT NULL,
  reset_at timestamptz NOT NULL
);
