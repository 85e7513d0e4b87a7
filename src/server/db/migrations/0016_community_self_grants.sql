-- The secretariat administers communities but is no audience of their AMBER records.
-- Adding its own account, or its own organisation, to a community makes it one: each such
-- self-grant is recorded here and shown to the community (issue 9, hole 15), besides the
-- audit entry and the notice to the community's admins.
CREATE TABLE community_self_grants (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  actor_id uuid NOT NULL REFERENCES people(id),
  person_id uuid REFERENCES people(id),
  organisation_id uuid REFERENCES organisations(id),
  as_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((person_id IS NULL) <> (organisation_id IS NULL))
);
CREATE INDEX community_self_grants_community_idx ON community_self_grants (community_id, created_at DESC);
