-- After an event its minutes become a draft activity record (features/records) carrying the
-- event's marking, with the commitments agreed there. The event keeps the link to it, and
-- makes one record only: the unique index refuses a second link even under concurrent calls.
ALTER TABLE event_items ADD COLUMN record_id uuid REFERENCES activity_records(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX event_items_record_idx ON event_items (record_id) WHERE record_id IS NOT NULL;
