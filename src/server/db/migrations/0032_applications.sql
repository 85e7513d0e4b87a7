-- Applications to offer sessions, their certificates and feedback (issue 12 §5, features/applications).
-- A person applies to one session of an offer; where the offer asks for it their organisation
-- admin or their country's national focal point endorses them; the provider selects against the
-- offer's stated criteria (or, for a first-come offer, the order of arrival does). Seats are
-- counted in offer_sessions.confirmed, changed only under a lock of the session's row in the same
-- transaction as the application it counts, so its CHECK (confirmed <= seats) never fires and no
-- session is overbooked.
--
-- Applications are personal data and carry no TLP marking: features/applications/repository.ts
-- reads them through one explicit rule (the applicant; their organisation's admins; their
-- country's national focal points where the offer asks for an endorsement; the provider
-- organisation's members), described in docs/security-model.md.

-- How the provider selects: `first-come` takes applicants in order of arrival (each arrival takes
-- a free seat, or the next place on the waitlist); `by-criteria` leaves everyone submitted until
-- the provider decides. `waitlist` off: a full first-come session refuses new applicants.
-- `application_questions`: what the offer's criteria ask of each applicant,
-- [{ "id", "label", "type": "text" | "choice" | "yes-no", "options"?, "required"? }].
ALTER TABLE offers
  ADD COLUMN selection text NOT NULL DEFAULT 'by-criteria' CHECK (selection IN ('first-come', 'by-criteria')),
  ADD COLUMN waitlist boolean NOT NULL DEFAULT true,
  ADD COLUMN application_questions jsonb NOT NULL DEFAULT '[]';

-- The session in calendars: SEQUENCE bumped on every change of time or place (an update replaces
-- the entry a participant's calendar holds); a cancelled session stays, STATUS:CANCELLED.
-- `last_ticket`: the last number given to an arrival, so that arrivals are ordered as they took
-- the session's lock, whatever their clocks.
ALTER TABLE offer_sessions
  ADD COLUMN sequence int NOT NULL DEFAULT 0,
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN last_ticket bigint NOT NULL DEFAULT 0;

CREATE TABLE applications (
  id uuid PRIMARY KEY,
  offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  session_id uuid NOT NULL REFERENCES offer_sessions(id) ON DELETE CASCADE,
  person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  -- The applicant's organisation and its country when they applied: who endorses, and the outcomes' counts.
  organisation_id uuid NOT NULL REFERENCES organisations(id),
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  status text NOT NULL CHECK (status IN ('submitted', 'endorsement-pending', 'endorsed', 'endorsement-refused',
    'selected', 'waitlisted', 'not-selected', 'withdrawn')),
  -- The offer asked for an endorsement when they applied (its focal points then see the application).
  needs_endorsement boolean NOT NULL DEFAULT false,
  -- Order of arrival in the session (from offer_sessions.last_ticket).
  ticket bigint NOT NULL,
  -- Place on the waitlist: the lowest is promoted first; the position shown is the rank among those waiting.
  waitlist_ticket bigint,
  motivation text NOT NULL DEFAULT '' CHECK (length(motivation) <= 5000),
  answers jsonb NOT NULL DEFAULT '{}',
  -- Self-declared, optional, used only in the outcomes' aggregate counts.
  gender text CHECK (gender IN ('woman', 'man', 'non-binary', 'prefer-not-to-say')),
  -- The provider's reason for its decision, against the offer's stated criteria.
  decision_reason text NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 2000),
  decided_by uuid REFERENCES people(id) ON DELETE SET NULL,
  decided_at timestamptz,
  endorsed_by uuid REFERENCES people(id) ON DELETE SET NULL,
  endorsed_at timestamptz,
  endorsement_note text NOT NULL DEFAULT '' CHECK (length(endorsement_note) <= 2000),
  -- Attendance: null until recorded; the days attended when the provider keeps them per day.
  attended boolean,
  attended_days date[] NOT NULL DEFAULT '{}',
  completed boolean,
  completed_at timestamptz,
  -- The certificate's public verification code (random, unguessable); revoked_at set when withdrawn.
  certificate_code text UNIQUE CHECK (certificate_code ~ '^[A-Za-z0-9_-]{20,64}$'),
  certificate_issued_at timestamptz,
  certificate_revoked_at timestamptz,
  -- Reminders already sent before the session ('week', 'day').
  reminded text[] NOT NULL DEFAULT '{}',
  applied_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  -- One application per person and session, whatever the timing.
  UNIQUE (session_id, person_id),
  CHECK ((status = 'waitlisted') = (waitlist_ticket IS NOT NULL)),
  CHECK (completed IS NOT TRUE OR attended IS TRUE),
  CHECK (certificate_code IS NULL OR completed IS TRUE OR certificate_revoked_at IS NOT NULL)
);
CREATE INDEX applications_person_idx ON applications (person_id, applied_at DESC);
CREATE INDEX applications_offer_idx ON applications (offer_id, session_id, ticket);
CREATE INDEX applications_waitlist_idx ON applications (session_id, waitlist_ticket) WHERE status = 'waitlisted';
CREATE INDEX applications_endorsement_idx ON applications (organisation_id, country) WHERE status = 'endorsement-pending';
CREATE INDEX applications_selected_idx ON applications (session_id) WHERE status = 'selected';

-- Feedback after completion, once per application (the primary key says once).
CREATE TABLE application_feedback (
  application_id uuid PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
  offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  satisfaction int NOT NULL CHECK (satisfaction BETWEEN 1 AND 5),
  usefulness int NOT NULL CHECK (usefulness BETWEEN 1 AND 5),
  comments text NOT NULL DEFAULT '' CHECK (length(comments) <= 5000),
  follow_up text NOT NULL DEFAULT '' CHECK (length(follow_up) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX application_feedback_offer_idx ON application_feedback (offer_id);
