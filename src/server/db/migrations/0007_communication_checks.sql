-- Communication checks (issue 3 §4): a "ping" to a snapshot of points of
-- contact, with a one-time acknowledgement link per contact (stored hashed),
-- reminders on a schedule, closing at the deadline, and a flag on contacts that
-- fail two checks in a row. PostgreSQL 15 / PGlite: ids are made in the app.

CREATE TABLE communication_checks (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  message text NOT NULL DEFAULT '',
  launched_by uuid NOT NULL REFERENCES people(id),
  launched_by_org uuid NOT NULL REFERENCES organisations(id),
  -- the community whose admin launched it (NULL: the secretariat)
  community_id uuid REFERENCES communities(id),
  filters jsonb NOT NULL DEFAULT '{}',
  deadline timestamptz NOT NULL,
  -- when reminders go out (fixed at launch) and how many have gone
  reminder_at timestamptz[] NOT NULL DEFAULT '{}',
  reminders_sent int NOT NULL DEFAULT 0,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  excluded jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE INDEX communication_checks_open_idx ON communication_checks (status, deadline);

-- The targets, fixed at launch.
CREATE TABLE communication_check_targets (
  check_id uuid NOT NULL REFERENCES communication_checks(id) ON DELETE CASCADE,
  contact_id uuid NOT NULL REFERENCES contacts(id),
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  country_code text NOT NULL REFERENCES countries(code),
  email text NOT NULL,
  language text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  -- the token sealed with the instance secret, for the link in reminders
  token_sealed text NOT NULL,
  encrypted boolean NOT NULL DEFAULT false,
  acknowledged_at timestamptz,
  channel text CHECK (channel IN ('link', 'in_app')),
  reminders_sent int NOT NULL DEFAULT 0,
  PRIMARY KEY (check_id, contact_id)
);
CREATE INDEX communication_check_targets_contact_idx ON communication_check_targets (contact_id);

-- Contacts that failed two checks in a row (cleared by a later acknowledgement).
CREATE TABLE contact_check_flags (
  contact_id uuid PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
  flagged_at timestamptz NOT NULL DEFAULT now(),
  check_id uuid NOT NULL REFERENCES communication_checks(id) ON DELETE CASCADE
);
