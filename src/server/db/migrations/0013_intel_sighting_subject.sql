-- A sighting is never shown to someone who may not see what it sights (issue 9, hole 8):
-- reads check the sighted object's visibility through this column, so it is kept beside
-- the STIX body instead of being dug out of the JSON on every read.
ALTER TABLE intel_objects ADD COLUMN subject_ref text;
UPDATE intel_objects SET subject_ref = body::jsonb->>'sighting_of_ref' WHERE stix_type = 'sighting';
