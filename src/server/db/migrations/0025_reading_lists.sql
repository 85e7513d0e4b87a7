-- Reading lists (issue 11, the library's "collections"): an ordered list of library items with a
-- title and a note, marked like any content (TLP + audience). A list names items by id only: a
-- reader sees the items of it they may see, never a trace of the others.
CREATE TABLE reading_lists (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  language text NOT NULL,
  items uuid[] NOT NULL DEFAULT '{}' CHECK (cardinality(items) <= 200),
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
CREATE INDEX reading_lists_items_idx ON reading_lists USING gin (items);
CREATE INDEX reading_lists_audience_orgs_idx ON reading_lists USING gin (audience_organisations);
CREATE INDEX reading_lists_audience_communities_idx ON reading_lists USING gin (audience_communities);
