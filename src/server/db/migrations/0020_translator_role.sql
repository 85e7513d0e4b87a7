-- The translator role (issue 11): members who keep their organisation's content in the other
-- languages — the translation queue and XLIFF exchange (platform/translations.ts).
ALTER TABLE people DROP CONSTRAINT people_roles_check;
ALTER TABLE people ADD CONSTRAINT people_roles_check CHECK (roles <@ ARRAY['member', 'org_admin', 'translator', 'secretariat']::text[]);
