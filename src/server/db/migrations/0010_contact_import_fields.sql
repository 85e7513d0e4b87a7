-- Fields that FIRST-style and CSIRTs-Network-style team records (and vCards) carry
-- and that imports used to drop (issue 3 §7).
-- The website of a team entry: a team record describes the team (a shared mailbox
-- entry in the directory), whose own web page may differ from its host
-- organisation's profile website. Under the entry's marking, like its name.
ALTER TABLE contacts
  ADD COLUMN website text CHECK (website IS NULL OR (length(website) <= 500 AND website ~ '^https?://'));
-- contacts.pgp_fingerprint may now be set without pgp_key: a fingerprint given by a
-- team record with no key (the key itself is to be fetched and added later).
-- When a key is on file the fingerprint is always the key's own.
