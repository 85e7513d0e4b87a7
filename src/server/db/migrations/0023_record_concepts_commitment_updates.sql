-- Activity records carry concepts of the vocabularies (the takeaways, pillars, norms they
-- concern: what the roadmap counts under each), kept beside the record's published text so that
-- the text still round-trips byte for byte. Commitments are followed after publication: their
-- owners linked to directory organisations where the names match, every change of status or
-- progress kept with who made it and when, and reminders to the owners before and after the due
-- date sent once each.
ALTER TABLE activity_records ADD COLUMN concepts text[] NOT NULL DEFAULT '{}';
CREATE INDEX activity_records_concepts_idx ON activity_records USING gin (concepts);

ALTER TABLE record_commitments
  ADD COLUMN owner_organisations uuid[] NOT NULL DEFAULT '{}',
  -- Its weight in roll-ups (as Decidim's accountability results): a large commitment counts more.
  ADD COLUMN weight integer NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100),
  ADD COLUMN updated_at timestamptz,
  ADD COLUMN reminded_before date,
  ADD COLUMN reminded_after date;

CREATE TABLE commitment_updates (
  id uuid PRIMARY KEY,
  commitment_id uuid NOT NULL REFERENCES record_commitments(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  by_person uuid REFERENCES people(id),
  status text NOT NULL CHECK (status IN ('planned', 'in progress', 'done', 'delayed', 'dropped')),
  progress integer NOT NULL CHECK (progress BETWEEN 0 AND 100),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
);
CREATE INDEX commitment_updates_commitment_idx ON commitment_updates (commitment_id, at);
