-- The outbox keeps no more than delivery needs and shows nobody what they may not see
-- (issue 9, holes 2 and 3). Each mail records the marking of the shared content it
-- carries (NULL tlp: mail about the recipient's own account or organisation, no shared
-- content) and whether its body holds a personal credential (reset, invitation and
-- acknowledgement links), which nobody but the recipient reads. Bodies are purged once
-- delivered, and at body_expires_at at the latest.
ALTER TABLE mail_outbox ALTER COLUMN text_body DROP NOT NULL;
ALTER TABLE mail_outbox
  ADD COLUMN credential boolean NOT NULL DEFAULT false,
  ADD COLUMN tlp text,
  ADD COLUMN author_id uuid,
  ADD COLUMN author_org_id uuid,
  ADD COLUMN audience_organisations uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN audience_communities uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN audience_people uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN body_expires_at timestamptz,
  ADD COLUMN body_purged_at timestamptz;

-- Mail written before this: what it carries is unknown, so it is withheld whole
-- (RED to nobody) and treated as a credential; delivered bodies go now, the others
-- once they had a chance to be delivered.
UPDATE mail_outbox SET credential = true, tlp = 'RED', body_expires_at = created_at + interval '3 days';
UPDATE mail_outbox SET text_body = NULL, html_body = NULL, body_purged_at = now() WHERE sent_at IS NOT NULL OR body_expires_at < now();

CREATE INDEX mail_outbox_body_expiry_idx ON mail_outbox (body_expires_at) WHERE body_purged_at IS NULL;
