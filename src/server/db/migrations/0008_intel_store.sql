-- The STIX 2.1 store (issue 4): every version of every object, kept as received,
-- with the standard marking columns so that the one access policy governs reads.

-- One row per ingest (REST bundle, TAXII POST, upload, MISP/CSAF/KEV import,
-- subscription poll): its per-object status doubles as the TAXII status resource.
CREATE TABLE intel_submissions (
  id uuid PRIMARY KEY,
  source text NOT NULL,
  person_id uuid REFERENCES people(id),
  organisation_id uuid REFERENCES organisations(id),
  status text NOT NULL DEFAULT 'complete' CHECK (status IN ('pending', 'complete')),
  total integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  duplicates integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  -- [{id, version, status: accepted|duplicate|rejected, reasons: [...]}]
  results jsonb NOT NULL DEFAULT '[]',
  request_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intel_submissions_person_idx ON intel_submissions (person_id, created_at DESC);
-- A retried request (same bytes, same person) answers with the first result.
CREATE INDEX intel_submissions_retry_idx ON intel_submissions (person_id, request_hash);

CREATE TABLE intel_objects (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stix_id text NOT NULL,
  stix_type text NOT NULL,
  spec_version text,
  -- The version key: `modified`, else `created`, else '' (SCOs have one version).
  version text NOT NULL,
  version_at timestamptz NOT NULL,
  created timestamptz,
  revoked boolean NOT NULL DEFAULT false,
  name text,
  confidence smallint,
  -- The object exactly as received (JSON text: key order and number forms kept).
  body text NOT NULL,
  content_hash text NOT NULL,
  -- TAXII date_added: strictly increasing in commit order (see store.ts).
  added_at timestamptz NOT NULL,
  -- No foreign keys on this table or on intel_values: their per-row checks were a third of
  -- the database's cost of an ingest. The rows are only written by ingest (store.ts), which
  -- takes these ids from rows it has just read or written, and deleted by store.ts/uploads.ts,
  -- which remove the object's values with it.
  submission_id uuid,
  source text NOT NULL DEFAULT 'api',
  -- Reported anonymously (sightings): other members see no organisation.
  anonymous boolean NOT NULL DEFAULT false,
  search tsvector,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'CLEAR' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid,
  -- NULL for platform reference content (ATT&CK, KEV, TLP definitions).
  author_org_id uuid,
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
-- Each organisation holds its own copy of an (id, version): a duplicate check
-- across organisations would tell one member what another holds.
CREATE UNIQUE INDEX intel_objects_version_key ON intel_objects (stix_id, version, coalesce(author_org_id, '00000000-0000-0000-0000-000000000000'::uuid));
-- (No separate (stix_id, version_at) index: intel_objects_version_key leads with stix_id
-- and an id has few versions, so it serves "the versions of an id" as well; every index
-- here is paid on each ingested object.)
CREATE INDEX intel_objects_added_idx ON intel_objects (added_at, seq);
CREATE INDEX intel_objects_type_idx ON intel_objects (stix_type, added_at);
CREATE INDEX intel_objects_org_idx ON intel_objects (author_org_id, added_at);
-- No GIN index on audience_communities: the policy tests it inside an OR (visibleSql) and
-- the community collection beside `source`, so no plan uses it, while every ingested row
-- (mostly with an empty array) paid for it.
-- Full text: a larger pending list than the default 4 MB, so that bulk ingest merges into
-- the index in bigger, cheaper batches (searches read the pending list until it is merged).
CREATE INDEX intel_objects_search_idx ON intel_objects USING gin (search) WITH (gin_pending_list_limit = 16384);

-- Normalised values for correlation: one row per (object version, value), so the
-- table grows with the data, never with the number of pairs.
CREATE TABLE intel_values (
  object_seq bigint NOT NULL,
  kind text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (object_seq, kind, value)
);
CREATE INDEX intel_values_value_idx ON intel_values (kind, value);

-- Sightings reported by members. The STIX sighting is stored in intel_objects
-- too; this row keeps who reported it even when other members see it anonymously.
CREATE TABLE intel_sightings (
  id uuid PRIMARY KEY,
  object_seq bigint NOT NULL REFERENCES intel_objects(seq) ON DELETE CASCADE,
  sighting_of text NOT NULL,
  count integer NOT NULL CHECK (count >= 1),
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  country text REFERENCES countries(code),
  sector text REFERENCES sectors(code),
  anonymous boolean NOT NULL DEFAULT false,
  affects_us boolean NOT NULL DEFAULT false,
  reporter_id uuid NOT NULL REFERENCES people(id),
  reporter_org_id uuid NOT NULL REFERENCES organisations(id),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'CLEAR' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid REFERENCES people(id),
  author_org_id uuid REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (first_seen <= last_seen)
);
CREATE INDEX intel_sightings_of_idx ON intel_sightings (sighting_of);

-- TAXII 2.1 client: an organisation's subscriptions to remote collections.
CREATE TABLE intel_subscriptions (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  created_by uuid NOT NULL REFERENCES people(id),
  title text NOT NULL,
  api_root_url text NOT NULL,
  collection_id text NOT NULL,
  -- Credentials sealed with the platform secret (platform/secrets.ts).
  credentials_sealed text,
  poll_interval_minutes integer NOT NULL CHECK (poll_interval_minutes BETWEEN 5 AND 10080),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  enabled boolean NOT NULL DEFAULT true,
  added_after text,
  last_poll_at timestamptz,
  last_success_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  objects_received bigint NOT NULL DEFAULT 0,
  next_poll_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intel_subscriptions_due_idx ON intel_subscriptions (next_poll_at) WHERE enabled;
