-- Crises (issue 13 §3-§4, features/crises): a declared cyber crisis with its level and scope, the room
-- that coordinates it, its situation reports, decisions, action items, requests for assistance,
-- alerts with acknowledgement, and — in exercise mode — the scenario's injects and the evaluation.
--
-- A room is backed by a members-only community (rows of `communities`): its people are the crisis
-- contacts of the countries in scope and the people added to the room, its organisations those
-- invited. Everything of a room is marked like any content, AMBER to that community by default, and
-- read through the access policy (features/crises/repository.ts). Values of the vocabularies
-- (levels, NIS2 fields) are checked by the service against src/shared/incidents.ts.
CREATE TABLE crises (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  level text NOT NULL CHECK (level IN ('normal', 'elevated', 'serious', 'crisis')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- A table-top exercise: labelled EXERCISE everywhere, never part of a real view.
  exercise boolean NOT NULL DEFAULT false,
  countries text[] NOT NULL DEFAULT '{}',
  sectors text[] NOT NULL DEFAULT '{}',
  room_community_id uuid NOT NULL REFERENCES communities(id),
  declared_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  -- When the next situation report is due (null at level normal and once closed), and the due time the
  -- coordinator was last reminded of (so that a reminder goes once per due time).
  next_sitrep_due timestamptz,
  reminded_due timestamptz,
  -- The after-action report drafted at closing (structured: timeline, decisions, actions, sitreps), and
  -- the library item it was published as (features/knowledge, a lesson learned for review).
  after_action jsonb,
  lesson_id uuid,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX crises_declared_idx ON crises (declared_at DESC, id);
CREATE INDEX crises_due_idx ON crises (next_sitrep_due) WHERE status = 'open';
CREATE INDEX crises_audience_communities_idx ON crises USING gin (audience_communities);

-- The room's roster: who is in it, with which role, and why (a crisis contact of a country in scope,
-- the declarer, or added). Read only with its crisis (after the crisis is read through the policy).
CREATE TABLE crisis_members (
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id),
  role text NOT NULL CHECK (role IN ('coordinator', 'scribe', 'liaison', 'member')),
  source text NOT NULL CHECK (source IN ('declarer', 'crisis_management', 'operational_24_7', 'added')),
  contact_id uuid REFERENCES contacts(id) ON DELETE SET NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (crisis_id, person_id)
);
CREATE INDEX crisis_members_person_idx ON crisis_members (person_id);

-- Every change of level (the first one is the declaration), read with its crisis.
CREATE TABLE crisis_level_changes (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('normal', 'elevated', 'serious', 'crisis')),
  at timestamptz NOT NULL DEFAULT now(),
  by_person uuid REFERENCES people(id),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000)
);
CREATE INDEX crisis_level_changes_crisis_idx ON crisis_level_changes (crisis_id, at);

-- Situation reports: NIS2 fields, the tactical part (conditions, actions, needs) and the executive
-- summary, in a language with translations, each marked (AMBER to the room unless narrowed).
CREATE TABLE crisis_sitreps (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  number int NOT NULL,
  impact_severity text NOT NULL,
  outlook text NOT NULL,
  sectors text[] NOT NULL DEFAULT '{}',
  root_cause text,
  conditions text NOT NULL DEFAULT '' CHECK (length(conditions) <= 20000),
  actions text NOT NULL DEFAULT '' CHECK (length(actions) <= 20000),
  needs text NOT NULL DEFAULT '' CHECK (length(needs) <= 20000),
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 20000),
  language text NOT NULL,
  source_rev int NOT NULL DEFAULT 1,
  translations jsonb NOT NULL DEFAULT '{}',
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (crisis_id, number)
);

-- The decisions log.
CREATE TABLE crisis_decisions (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
  decided_at timestamptz NOT NULL DEFAULT now(),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_decisions_crisis_idx ON crisis_decisions (crisis_id, decided_at);

-- Action items with an owner (a person of the room, or an organisation) and a deadline.
CREATE TABLE crisis_actions (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 2000),
  owner_person_id uuid REFERENCES people(id),
  owner_org_id uuid REFERENCES organisations(id),
  due_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_actions_crisis_idx ON crisis_actions (crisis_id, created_at);

-- Requests for assistance sent from a room: the capacity-building request (features/requests) it became.
-- The request itself is read through its own feature's policy.
CREATE TABLE crisis_assistance (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  request_id uuid NOT NULL REFERENCES assistance_requests(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_assistance_crisis_idx ON crisis_assistance (crisis_id, created_at);

-- Alerts to one person (TLP:RED to them): a crisis declared, a level raised, a report due, a RED or
-- AMBER report addressed to them; acknowledged in the app (or not yet).
CREATE TABLE crisis_alerts (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('declared', 'level_raised', 'sitrep_due', 'sitrep', 'inject')),
  -- The sitrep of a `sitrep` alert: the alert is shown in the room only to who may see that sitrep.
  sitrep_id uuid REFERENCES crisis_sitreps(id) ON DELETE CASCADE,
  level text,
  person_id uuid NOT NULL REFERENCES people(id),
  encrypted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid REFERENCES people(id),
  author_org_id uuid REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_alerts_person_idx ON crisis_alerts (person_id, created_at DESC);
CREATE INDEX crisis_alerts_crisis_idx ON crisis_alerts (crisis_id, created_at);

-- An exercise's scenario: timed injects, RED to the exercise controller who wrote them until released,
-- then marked like the rest of the room.
CREATE TABLE crisis_injects (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  planned_at timestamptz NOT NULL,
  released_at timestamptz,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}'
);
CREATE INDEX crisis_injects_crisis_idx ON crisis_injects (crisis_id, planned_at);
-- The release job looks for injects whose planned time has come.
CREATE INDEX crisis_injects_due_idx ON crisis_injects (planned_at) WHERE released_at IS NULL;

-- An exercise's evaluation form, one per participant: ratings 1-5 and what went well or should change.
CREATE TABLE crisis_evaluations (
  id uuid PRIMARY KEY,
  crisis_id uuid NOT NULL REFERENCES crises(id) ON DELETE CASCADE,
  objectives int NOT NULL CHECK (objectives BETWEEN 1 AND 5),
  communication int NOT NULL CHECK (communication BETWEEN 1 AND 5),
  coordination int NOT NULL CHECK (coordination BETWEEN 1 AND 5),
  strengths text NOT NULL DEFAULT '' CHECK (length(strengths) <= 5000),
  improvements text NOT NULL DEFAULT '' CHECK (length(improvements) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  pap text NOT NULL DEFAULT 'AMBER' CHECK (pap IN ('CLEAR', 'GREEN', 'AMBER', 'RED')),
  author_id uuid NOT NULL REFERENCES people(id),
  author_org_id uuid NOT NULL REFERENCES organisations(id),
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  UNIQUE (crisis_id, author_id)
);
