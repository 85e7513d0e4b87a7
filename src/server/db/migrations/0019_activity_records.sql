-- Activity records of the alliance (issue 11): what it did, in the shape of its published
-- records (features/records/format.ts). A record is marked like any content (TLP + audience)
-- and goes draft → proposed → published; until published only its organisation (and, once
-- proposed, the secretariat, within the marking) sees it.
CREATE TABLE activity_records (
  id uuid PRIMARY KEY,
  -- The record's address on the public portal (/records/{slug}): its date and title.
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,99}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  date date NOT NULL,
  end_date date CHECK (end_date IS NULL OR end_date >= date),
  location text NOT NULL,
  summary text NOT NULL,
  characteristics jsonb NOT NULL DEFAULT '[]',
  actors jsonb NOT NULL DEFAULT '[]',
  themes jsonb NOT NULL DEFAULT '[]',
  applications jsonb NOT NULL DEFAULT '[]',
  language text NOT NULL DEFAULT 'en',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'proposed', 'published')),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX activity_records_date_idx ON activity_records (date DESC, id);
CREATE INDEX activity_records_audience_orgs_idx ON activity_records USING gin (audience_organisations);
CREATE INDEX activity_records_audience_communities_idx ON activity_records USING gin (audience_communities);
CREATE INDEX activity_records_audience_people_idx ON activity_records USING gin (audience_people);

-- A record's commitments, in its order; they share its marking (the tracker reads them through it).
CREATE TABLE record_commitments (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL REFERENCES activity_records(id) ON DELETE CASCADE,
  position integer NOT NULL,
  text text NOT NULL,
  owners text[] NOT NULL DEFAULT '{}',
  countries text[] NOT NULL DEFAULT '{}',
  due date,
  status text NOT NULL CHECK (status IN ('planned', 'in progress', 'done', 'delayed', 'dropped')),
  progress integer NOT NULL CHECK (progress BETWEEN 0 AND 100),
  milestones jsonb NOT NULL DEFAULT '[]',
  evidence text[] NOT NULL DEFAULT '{}',
  UNIQUE (record_id, position)
);
