-- Communities proposed by organisation admins and decided by the secretariat,
-- member-only descriptions, join requests; discussions (topics, replies,
-- attachments) and subscriptions. PostgreSQL 15 / PGlite; ids made in the app.

ALTER TABLE communities
  ADD COLUMN status text NOT NULL DEFAULT 'approved' CHECK (status IN ('proposed', 'approved', 'rejected')),
  ADD COLUMN visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
  ADD COLUMN proposed_by uuid REFERENCES people(id),
  ADD COLUMN proposed_by_org uuid REFERENCES organisations(id),
  ADD COLUMN proposal_reason text NOT NULL DEFAULT '',
  ADD COLUMN decided_by uuid REFERENCES people(id),
  ADD COLUMN decided_at timestamptz,
  ADD COLUMN decision_reason text;
CREATE INDEX communities_status_idx ON communities (status);

-- A request to join: an organisation admin asks for their organisation, or a person for themself.
CREATE TABLE community_join_requests (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  organisation_id uuid REFERENCES organisations(id) ON DELETE CASCADE,
  person_id uuid REFERENCES people(id) ON DELETE CASCADE,
  requested_by uuid NOT NULL REFERENCES people(id),
  message text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
  decided_by uuid REFERENCES people(id),
  decided_at timestamptz,
  decision_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((organisation_id IS NULL) <> (person_id IS NULL))
);
CREATE UNIQUE INDEX community_join_requests_pending_org ON community_join_requests (community_id, organisation_id) WHERE status = 'pending' AND organisation_id IS NOT NULL;
CREATE UNIQUE INDEX community_join_requests_pending_person ON community_join_requests (community_id, person_id) WHERE status = 'pending' AND person_id IS NOT NULL;

-- A discussion topic: a marked record (standard marking columns). Replies inherit its marking.
CREATE TABLE discussion_topics (
  id uuid PRIMARY KEY,
  community_id uuid NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
  title text NOT NULL,
  body_md text NOT NULL,
  body_html text NOT NULL,
  language text NOT NULL DEFAULT 'en',
  mentions uuid[] NOT NULL DEFAULT '{}',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'GREEN' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_activity_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discussion_topics_community_idx ON discussion_topics (community_id, last_activity_at DESC);
CREATE INDEX discussion_topics_created_idx ON discussion_topics (created_at);
CREATE INDEX discussion_topics_audience_communities_idx ON discussion_topics USING gin (audience_communities);
CREATE INDEX discussion_topics_audience_orgs_idx ON discussion_topics USING gin (audience_organisations);

CREATE TABLE discussion_replies (
  id uuid PRIMARY KEY,
  topic_id uuid NOT NULL REFERENCES discussion_topics(id) ON DELETE CASCADE,
  body_md text NOT NULL,
  body_html text NOT NULL,
  mentions uuid[] NOT NULL DEFAULT '{}',
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discussion_replies_topic_idx ON discussion_replies (topic_id, created_at);
CREATE INDEX discussion_replies_created_idx ON discussion_replies (created_at);

-- File contents live in their own table so that listing topics never reads them.
CREATE TABLE discussion_attachments (
  id uuid PRIMARY KEY,
  topic_id uuid NOT NULL REFERENCES discussion_topics(id) ON DELETE CASCADE,
  reply_id uuid REFERENCES discussion_replies(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes >= 0),
  sha256 text NOT NULL,
  content bytea NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES people(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discussion_attachments_topic_idx ON discussion_attachments (topic_id);

-- A person follows a whole community or one topic: 'immediate' mails each new
-- topic or reply they may see, 'daily' sends one digest a day.
CREATE TABLE discussion_subscriptions (
  id uuid PRIMARY KEY,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  community_id uuid REFERENCES communities(id) ON DELETE CASCADE,
  topic_id uuid REFERENCES discussion_topics(id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'immediate' CHECK (mode IN ('immediate', 'daily')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((community_id IS NULL) <> (topic_id IS NULL))
);
CREATE UNIQUE INDEX discussion_subscriptions_community ON discussion_subscriptions (person_id, community_id) WHERE community_id IS NOT NULL;
CREATE UNIQUE INDEX discussion_subscriptions_topic ON discussion_subscriptions (person_id, topic_id) WHERE topic_id IS NOT NULL;
CREATE INDEX discussion_subscriptions_community_idx ON discussion_subscriptions (community_id);
CREATE INDEX discussion_subscriptions_topic_idx ON discussion_subscriptions (topic_id);
