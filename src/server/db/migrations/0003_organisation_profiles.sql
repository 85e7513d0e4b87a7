-- Organisation profiles (issue 3 §1): descriptions per language, the member-only
-- part (constituency, hours, establishment, memberships) and the logo.

CREATE TABLE organisation_profiles (
  organisation_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  -- the organisation's languages, first = its main one (ISO 639 codes)
  languages text[] NOT NULL DEFAULT '{}',
  -- member part: only vetted members read it
  ip_ranges cidr[] NOT NULL DEFAULT '{}',
  asns bigint[] NOT NULL DEFAULT '{}' CHECK (1 <= ALL (asns) AND 4294967295 >= ALL (asns)),
  domains text[] NOT NULL DEFAULT '{}',
  sectors_served text[] NOT NULL DEFAULT '{}',
  operating_hours text CHECK (length(operating_hours) <= 200),
  time_zone text CHECK (length(time_zone) <= 64),
  established_on date,
  memberships text[] NOT NULL DEFAULT '{}'
    CHECK (memberships <@ ARRAY['first', 'eu_csirts_network', 'csirt_americas', 'tf_csirt']::text[]),
  other_memberships text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES people(id) ON DELETE SET NULL
);

CREATE TABLE organisation_descriptions (
  organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  language text NOT NULL CHECK (language ~ '^[a-z]{2,3}$'),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  PRIMARY KEY (organisation_id, language)
);

CREATE TABLE organisation_logos (
  organisation_id uuid PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  data bytea NOT NULL CHECK (octet_length(data) BETWEEN 1 AND 262144),
  sha256 text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES people(id) ON DELETE SET NULL
);
