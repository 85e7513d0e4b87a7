-- Events (issue 12 §6, features/events): the annual meeting of EU and LAC cyber diplomats,
-- policy dialogues, webinars and exercises. An event is marked like any content (TLP +
-- audience), written in one language with its translations (platform/translations.ts, kind
-- `event`), has a timetable of sessions, session materials with their own marking, a
-- registration form (moderation, capacity, waitlist, consent, custom questions, a retention
-- period for personal answers) and country delegations nominated by national focal points.
-- Calendars (platform/calendar.ts) give every event and session a stable UID and a SEQUENCE
-- that grows with each change of time, place or status, so that updates replace, not duplicate.
CREATE TABLE event_items (
  id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('annual-meeting', 'policy-dialogue', 'webinar', 'exercise', 'other')),
  -- The source language's text (translations hold the same fields per language).
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  agenda text NOT NULL DEFAULT '' CHECK (length(agenda) <= 50000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  place text NOT NULL DEFAULT '' CHECK (length(place) <= 300),
  country_code text REFERENCES countries(code),
  online boolean NOT NULL DEFAULT false,
  -- Where to join online: shown to confirmed participants and the organisers only.
  online_url text CHECK (online_url IS NULL OR online_url ~ '^https://'),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  -- The IANA zone the event keeps its clock in (its calendar's TZID).
  time_zone text NOT NULL,
  organiser_org_id uuid NOT NULL REFERENCES organisations(id),
  concepts text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'cancelled')),
  registration_open boolean NOT NULL DEFAULT false,
  moderated boolean NOT NULL DEFAULT false,
  -- Seats; null: no limit.
  capacity int CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
  -- Days after the event's end after which personal answers are purged.
  retention_days int NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 0 AND 3650),
  questions jsonb NOT NULL DEFAULT '[]',
  -- iCalendar SEQUENCE: bumped on every change of time, place or status.
  sequence int NOT NULL DEFAULT 0,
  -- The last waitlist ticket given: the next arrival takes the one after.
  last_ticket bigint NOT NULL DEFAULT 0,
  answers_purged_at timestamptz,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX event_items_starts_idx ON event_items (starts_at, id);
CREATE INDEX event_items_concepts_idx ON event_items USING gin (concepts);
CREATE INDEX event_items_audience_orgs_idx ON event_items USING gin (audience_organisations);
CREATE INDEX event_items_audience_communities_idx ON event_items USING gin (audience_communities);
CREATE INDEX event_items_audience_people_idx ON event_items USING gin (audience_people);
CREATE INDEX event_items_retention_idx ON event_items (ends_at) WHERE answers_purged_at IS NULL;

-- The timetable: each session in the event's language, its title translated beside it.
CREATE TABLE event_sessions (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES event_items(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  room text NOT NULL DEFAULT '' CHECK (length(room) <= 200),
  -- [{ "name": "…", "personId": "…" | null }]
  speakers jsonb NOT NULL DEFAULT '[]',
  -- Languages interpreted into (BCP 47 tags).
  interpretation text[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
  sequence int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX event_sessions_event_idx ON event_sessions (event_id, starts_at);

-- Session materials: a file or a link, each with its own marking (never wider than its
-- readers may see: the event's marking and its own both apply).
CREATE TABLE event_materials (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES event_items(id) ON DELETE CASCADE,
  session_id uuid REFERENCES event_sessions(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  url text CHECK (url IS NULL OR url ~ '^https?://'),
  file_name text,
  content_type text,
  size_bytes int,
  content bytea,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((url IS NULL) <> (content IS NULL))
);
CREATE INDEX event_materials_event_idx ON event_materials (event_id);

-- A country's delegation to an event: the organiser sets its quota, the country's national
-- focal points nominate delegates (registrations naming it) and its head.
CREATE TABLE event_delegations (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES event_items(id) ON DELETE CASCADE,
  country_code text NOT NULL REFERENCES countries(code),
  quota int NOT NULL CHECK (quota BETWEEN 0 AND 1000),
  head_registration_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, country_code)
);

-- One registration per person and event (the unique key is what stops a double registration,
-- whatever the timing). `ticket` orders the waitlist by arrival.
CREATE TABLE event_registrations (
  id uuid PRIMARY KEY,
  event_id uuid NOT NULL REFERENCES event_items(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  status text NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'declined', 'withdrawn')),
  ticket bigint NOT NULL,
  delegation_id uuid REFERENCES event_delegations(id) ON DELETE SET NULL,
  consent_to_list boolean NOT NULL DEFAULT false,
  -- Personal answers to the event's questions; emptied once the retention period is over.
  answers jsonb NOT NULL DEFAULT '{}',
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (event_id, person_id)
);
CREATE INDEX event_registrations_person_idx ON event_registrations (person_id);
CREATE INDEX event_registrations_waitlist_idx ON event_registrations (event_id, ticket) WHERE status = 'waitlisted';
CREATE INDEX event_registrations_delegation_idx ON event_registrations (delegation_id) WHERE delegation_id IS NOT NULL;
ALTER TABLE event_delegations ADD CONSTRAINT event_delegations_head_fk
  FOREIGN KEY (head_registration_id) REFERENCES event_registrations(id) ON DELETE SET NULL;

-- A person's calendar subscription (/calendar/{token}.ics): only the token's SHA-256 is kept;
-- making a new one replaces (and so revokes) the old.
CREATE TABLE calendar_feeds (
  person_id uuid PRIMARY KEY REFERENCES people(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- iTIP invitations and cancellations travel with their mail (RFC 5546: text/calendar with
-- its METHOD); purged with the body.
ALTER TABLE mail_outbox ADD COLUMN calendar_method text CHECK (calendar_method IS NULL OR calendar_method IN ('REQUEST', 'CANCEL'));
ALTER TABLE mail_outbox ADD COLUMN calendar_ics text;
