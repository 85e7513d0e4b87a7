-- Staffing (issue 12 §4): providers put experts of the pool on their offers' sessions. A proposal
-- is made by an editor of the offer and answered by the expert (or an admin of the expert's
-- organisation); confirming writes the expert_missions row in the same transaction. Rows are read
-- only through both the offer and the expert the reader may see (features/offers/staffing.ts).
CREATE TABLE offer_session_staff (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES offer_sessions(id) ON DELETE CASCADE,
  offer_id uuid NOT NULL REFERENCES offers(id) ON DELETE CASCADE,
  expert_id uuid NOT NULL REFERENCES experts(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('trainer', 'facilitator', 'expert')),
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'declined')),
  proposed_by uuid NOT NULL REFERENCES people(id),
  proposed_at timestamptz NOT NULL DEFAULT now(),
  answered_by uuid REFERENCES people(id),
  answered_at timestamptz,
  -- The mission written on confirmation, removed with the staffing.
  mission_id uuid REFERENCES expert_missions(id) ON DELETE SET NULL,
  UNIQUE (session_id, expert_id),
  CHECK ((status = 'proposed') = (answered_at IS NULL))
);
CREATE INDEX offer_session_staff_expert_idx ON offer_session_staff (expert_id, status);
CREATE INDEX offer_session_staff_offer_idx ON offer_session_staff (offer_id);
