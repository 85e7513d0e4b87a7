-- Demand-based assistance requests (issue 12 §2, §3, features/requests): a country's or an
-- organisation's need for capacity building, with the steps of its life and the expressions of
-- interest providers answer it with. A request is marked like any content (TLP + audience) and is
-- confidential by default: TLP:AMBER shared with the secretariat's organisation and the
-- capacity-building providers' community, narrowable to named providers. Its text is written in
-- one language with its translations (platform/translations.ts).
CREATE TABLE assistance_requests (
  id uuid PRIMARY KEY,
  -- The country asked for, when a national focal point asks for it (else null: the organisation asks for itself).
  country_code text REFERENCES countries(code),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  -- What is wanted, in the requester's words (a course, an expert mission, help drafting a law…).
  wanted text NOT NULL DEFAULT '' CHECK (length(wanted) <= 10000),
  constraints text NOT NULL DEFAULT '' CHECK (length(constraints) <= 5000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  concepts text[] NOT NULL DEFAULT '{}',
  -- Who is to benefit (src/shared/capacity.ts TARGET_AUDIENCES).
  audiences text[] NOT NULL DEFAULT '{}' CHECK (audiences <@ ARRAY['mfa-points-of-contact', 'cyber-ambassadors', 'csirt-staff', 'officials', 'private-sector', 'civil-society', 'youth']::text[]),
  -- Languages the help can be given in (primary subtags).
  languages text[] NOT NULL DEFAULT '{}',
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
  format text CHECK (format IS NULL OR format IN ('online', 'in-person', 'hybrid')),
  timeframe_from date,
  timeframe_to date,
  status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated')),
  chosen_interest_id uuid,
  evaluation smallint CHECK (evaluation IS NULL OR evaluation BETWEEN 1 AND 5),
  evaluation_comment text NOT NULL DEFAULT '' CHECK (length(evaluation_comment) <= 5000),
  -- The coordination meeting the secretariat convened: a discussion in a community of the
  -- requester and the answering organisations, and (features/events, later) its event.
  coordination_community_id uuid REFERENCES communities(id) ON DELETE SET NULL,
  coordination_topic_id uuid,
  coordination_event_id uuid,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  -- The requesting organisation.
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (timeframe_from IS NULL OR timeframe_to IS NULL OR timeframe_from <= timeframe_to)
);
CREATE INDEX assistance_requests_concepts_idx ON assistance_requests USING gin (concepts);
CREATE INDEX assistance_requests_languages_idx ON assistance_requests USING gin (languages);
CREATE INDEX assistance_requests_status_idx ON assistance_requests (status, id);
CREATE INDEX assistance_requests_org_idx ON assistance_requests (author_org_id, id);
CREATE INDEX assistance_requests_audience_orgs_idx ON assistance_requests USING gin (audience_organisations);
CREATE INDEX assistance_requests_audience_communities_idx ON assistance_requests USING gin (audience_communities);
CREATE INDEX assistance_requests_audience_people_idx ON assistance_requests USING gin (audience_people);

-- Every step of a request's life, for its timeline: the status it reached, when, who moved it, why.
CREATE TABLE request_steps (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES assistance_requests(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('submitted', 'triaged', 'open', 'matched', 'in-delivery', 'completed', 'evaluated')),
  at timestamptz NOT NULL DEFAULT now(),
  by_person uuid REFERENCES people(id) ON DELETE SET NULL,
  by_org uuid REFERENCES organisations(id) ON DELETE SET NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
);
CREATE INDEX request_steps_request_idx ON request_steps (request_id, at, id);

-- An organisation's answer to a request, possibly jointly with partners, proposing offers and
-- experts (by id: features/offers and features/experts keep them). Marked on its own: the
-- answering organisation is its author, and the requester, the secretariat's organisation and the
-- partners are its audience (AMBER+STRICT) — no other provider reads it.
CREATE TABLE request_interests (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES assistance_requests(id) ON DELETE CASCADE,
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 10000),
  partner_org_ids uuid[] NOT NULL DEFAULT '{}',
  offer_ids uuid[] NOT NULL DEFAULT '{}',
  expert_ids uuid[] NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'chosen', 'declined')),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  -- One answer per organisation and request (it may be edited, not repeated).
  UNIQUE (request_id, author_org_id)
);
CREATE INDEX request_interests_request_idx ON request_interests (request_id, created_at);
CREATE INDEX request_interests_audience_orgs_idx ON request_interests USING gin (audience_organisations);
