-- Incident reports (issue 13 §1, features/incidents): what a member reports of an incident, classified
-- with RSIT and described with the NIS2 fields, with its lifecycle, NIS2's reporting clocks, its links to
-- threat intelligence and a timeline. A report is marked like any content (TLP + audience) and so is each
-- of its parts (timeline entries, reports to the authority): a part is never wider than what its author
-- chose, and a viewer sees a part only when the policy lets them see both the part and the report.
-- Values of the taxonomies are checked by the service against src/shared/incidents.ts (the vendored
-- MISP taxonomies), not here, so that a new taxonomy version needs no migration.
CREATE TABLE incident_reports (
  id uuid PRIMARY KEY,
  -- The STIX id it is exported and imported under (incident--<uuid>): stable across round trips. The checks write
  -- the double hyphen as -{2}: the migration guard (guards.test.ts) reads `--` as a comment, even in a string.
  stix_id text NOT NULL UNIQUE CHECK (stix_id ~ '^incident-{2}[0-9a-f-]{36}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 50000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  -- RSIT classification, `category/type` (rsit:category="type").
  rsit_class text NOT NULL,
  -- NIS2 fields (MISP taxonomy nis2).
  root_cause text,
  threat_severity text,
  impact_severity text,
  impact_outlook text,
  sectors text[] NOT NULL DEFAULT '{}',
  subsectors text[] NOT NULL DEFAULT '{}',
  -- ISO 3166-1 alpha-2 codes of the countries affected.
  countries text[] NOT NULL DEFAULT '{}',
  cross_border boolean NOT NULL DEFAULT false,
  users_affected bigint CHECK (users_affected IS NULL OR users_affected >= 0),
  -- When it started and ended (the duration), when the reporting organisation became aware (the clocks run from here).
  started_at timestamptz,
  ended_at timestamptz,
  aware_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'triage', 'investigating', 'contained', 'recovered', 'closed')),
  outcome text CHECK (outcome IS NULL OR outcome IN ('successful-attempt', 'failed-attempt', 'blocked', 'false-positive', 'low-value', 'suspected')),
  closed_at timestamptz,
  -- The organisation handling it now; ownership can be handed over (the owner is always in the audience).
  owner_org_id uuid NOT NULL REFERENCES organisations(id),
  -- Reported inside a table-top exercise: never part of the real situational picture.
  exercise boolean NOT NULL DEFAULT false,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_at IS NULL OR started_at IS NULL OR started_at <= ended_at),
  CHECK ((status = 'closed') = (outcome IS NOT NULL AND closed_at IS NOT NULL))
);
CREATE INDEX incident_reports_aware_idx ON incident_reports (aware_at DESC, id);
CREATE INDEX incident_reports_status_idx ON incident_reports (status, id);
CREATE INDEX incident_reports_countries_idx ON incident_reports USING gin (countries);
CREATE INDEX incident_reports_sectors_idx ON incident_reports USING gin (sectors);
CREATE INDEX incident_reports_org_idx ON incident_reports (author_org_id, id);
CREATE INDEX incident_reports_owner_idx ON incident_reports (owner_org_id, id);
CREATE INDEX incident_reports_audience_orgs_idx ON incident_reports USING gin (audience_organisations);
CREATE INDEX incident_reports_audience_communities_idx ON incident_reports USING gin (audience_communities);
CREATE INDEX incident_reports_audience_people_idx ON incident_reports USING gin (audience_people);

-- The timeline: every action on a report (created, status moved, field changed, handed over, a report to
-- the authority submitted, intel linked) and the narrative updates its handlers write. Each entry is
-- marked: actions take the report's marking at the time; a narrative update may be narrower.
CREATE TABLE incident_entries (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incident_reports(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  -- created, status, updated, handover, report, link, unlink, update (a narrative update)
  action text NOT NULL CHECK (action IN ('created', 'status', 'updated', 'handover', 'report', 'link', 'unlink', 'update')),
  detail jsonb NOT NULL DEFAULT '{}',
  text text NOT NULL DEFAULT '' CHECK (length(text) <= 20000),
  language text,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid REFERENCES people(id) ON DELETE SET NULL,
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_entries_incident_idx ON incident_entries (incident_id, at, id);

-- NIS2 reports to the CSIRT or authority: one row per report due or given. Early warning, notification and
-- final are created with the incident (their due times from aware_at); an intermediate report when asked for.
-- Marked like the report (who reads the report reads when its reports were due and given); their text may be narrower.
CREATE TABLE incident_nis2_reports (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incident_reports(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('early-warning', 'notification', 'intermediate', 'final')),
  due_at timestamptz NOT NULL,
  requested_at timestamptz,
  requested_by_org uuid REFERENCES organisations(id) ON DELETE SET NULL,
  submitted_at timestamptz,
  submitted_by uuid REFERENCES people(id) ON DELETE SET NULL,
  text text NOT NULL DEFAULT '' CHECK (length(text) <= 20000),
  -- When the owner was last reminded of it (reminders job), so that a reminder goes once per threshold.
  reminded_at timestamptz,
  UNIQUE (incident_id, kind, due_at)
);
CREATE INDEX incident_nis2_reports_due_idx ON incident_nis2_reports (due_at) WHERE submitted_at IS NULL;

-- Links to threat intelligence in the STIX store (indicators, malware, attack patterns incl. ATT&CK for ICS,
-- sightings, vulnerabilities incl. KEV): by STIX id. The objects keep their own markings; a viewer sees a
-- link only when they may see the object.
CREATE TABLE incident_links (
  incident_id uuid NOT NULL REFERENCES incident_reports(id) ON DELETE CASCADE,
  stix_id text NOT NULL CHECK (stix_id ~ '^[a-z0-9-]+-{2}[0-9a-f-]{36}$'),
  relationship text NOT NULL DEFAULT 'related-to' CHECK (relationship ~ '^[a-z0-9-]{1,64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES people(id) ON DELETE SET NULL,
  PRIMARY KEY (incident_id, stix_id)
);
CREATE INDEX incident_links_stix_idx ON incident_links (stix_id);
