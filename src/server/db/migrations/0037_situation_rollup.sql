-- The situational picture's sightings, rolled up per UTC day (issue 13 §2, docs/situation.md, features/situation).
-- A month of a million sightings is a quarter of intel_sightings, read and judged row by row on every
-- GET /api/v1/situation; these two tables hold the same counts in far fewer rows.
--
-- situation_sighting_days: per day (of last_seen), country and marking, how many sightings and the
-- times seen. The marking columns are exactly those the access policy reads (tlp, author_id,
-- author_org_id and the three audiences), copied unchanged from the sightings rolled into the row,
-- so visibleSql decides on a row as it decides on each sighting in it. It is a marked table: read only
-- in features/situation/repository.ts, through visibleSql.
CREATE TABLE situation_sighting_days (
  day date NOT NULL,
  -- md5 of country and marking (situation_sighting_cell): the key of a row within its day. The arrays
  -- themselves are not in the key's index, so that a long audience never makes an index entry too big.
  cell text NOT NULL,
  country text,
  tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED')),
  author_id uuid,
  author_org_id uuid,
  audience_organisations uuid[] NOT NULL DEFAULT '{}',
  audience_communities uuid[] NOT NULL DEFAULT '{}',
  audience_people uuid[] NOT NULL DEFAULT '{}',
  sightings bigint NOT NULL CHECK (sightings > 0),
  times bigint NOT NULL,
  PRIMARY KEY (day, cell)
);

-- Which objects were sighted on which day (by any sighting, whatever its marking). Never counted nor
-- shown: it only names the objects whose visibility the picture has to check for a window, so that the
-- sightings of objects the reader may not see can be taken out of the counts above.
CREATE TABLE situation_sighted_days (
  day date NOT NULL,
  sighting_of text NOT NULL,
  sightings bigint NOT NULL CHECK (sightings > 0),
  PRIMARY KEY (day, sighting_of)
);

-- The sightings of the objects a reader may not see, which the picture takes out of the roll-up's counts,
-- are looked up per object within the window (for the public, from the index alone once vacuumed).
CREATE INDEX intel_sightings_of_seen_idx ON intel_sightings (sighting_of, last_seen) INCLUDE (tlp, country, count);

CREATE FUNCTION situation_sighting_cell(country text, tlp text, author_id uuid, author_org_id uuid, orgs uuid[], comms uuid[], people uuid[])
  RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT md5(concat_ws('|', coalesce(country, '-'), tlp, coalesce(author_id::text, '-'), coalesce(author_org_id::text, '-'), orgs::text, comms::text, people::text))
$$;

-- Kept in the same transaction as every write to intel_sightings, by statement-level triggers (one
-- upsert per statement, not one per row, so that a bulk import stays cheap), which no writer can
-- forget: the service, the STIX import, cascaded deletes, bulk loads.
CREATE FUNCTION situation_sightings_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO situation_sighting_days AS d (day, cell, country, tlp, author_id, author_org_id, audience_organisations, audience_communities, audience_people, sightings, times)
  SELECT (n.last_seen AT TIME ZONE 'UTC')::date, situation_sighting_cell(n.country, n.tlp, n.author_id, n.author_org_id, n.audience_organisations, n.audience_communities, n.audience_people),
    n.country, n.tlp, n.author_id, n.author_org_id, n.audience_organisations, n.audience_communities, n.audience_people, count(*), sum(n.count)
  FROM new_rows n GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (day, cell) DO UPDATE SET sightings = d.sightings + EXCLUDED.sightings, times = d.times + EXCLUDED.times;
  INSERT INTO situation_sighted_days AS d (day, sighting_of, sightings)
  SELECT (n.last_seen AT TIME ZONE 'UTC')::date, n.sighting_of, count(*) FROM new_rows n GROUP BY 1, 2
  ON CONFLICT (day, sighting_of) DO UPDATE SET sightings = d.sightings + EXCLUDED.sightings;
  RETURN NULL;
END $$;

CREATE FUNCTION situation_sightings_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Emptied rows go first (the CHECK keeps counts positive), then the others are decreased.
  DELETE FROM situation_sighting_days d USING (
    SELECT (o.last_seen AT TIME ZONE 'UTC')::date AS day, situation_sighting_cell(o.country, o.tlp, o.author_id, o.author_org_id, o.audience_organisations, o.audience_communities, o.audience_people) AS cell, count(*) AS sightings
    FROM old_rows o GROUP BY 1, 2) g
  WHERE d.day = g.day AND d.cell = g.cell AND d.sightings <= g.sightings;
  UPDATE situation_sighting_days d SET sightings = d.sightings - g.sightings, times = d.times - g.times FROM (
    SELECT (o.last_seen AT TIME ZONE 'UTC')::date AS day, situation_sighting_cell(o.country, o.tlp, o.author_id, o.author_org_id, o.audience_organisations, o.audience_communities, o.audience_people) AS cell, count(*) AS sightings, sum(o.count) AS times
    FROM old_rows o GROUP BY 1, 2) g
  WHERE d.day = g.day AND d.cell = g.cell;
  DELETE FROM situation_sighted_days d USING (SELECT (o.last_seen AT TIME ZONE 'UTC')::date AS day, o.sighting_of, count(*) AS sightings FROM old_rows o GROUP BY 1, 2) g
  WHERE d.day = g.day AND d.sighting_of = g.sighting_of AND d.sightings <= g.sightings;
  UPDATE situation_sighted_days d SET sightings = d.sightings - g.sightings
  FROM (SELECT (o.last_seen AT TIME ZONE 'UTC')::date AS day, o.sighting_of, count(*) AS sightings FROM old_rows o GROUP BY 1, 2) g
  WHERE d.day = g.day AND d.sighting_of = g.sighting_of;
  RETURN NULL;
END $$;

CREATE FUNCTION situation_sightings_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM situation_sighting_days;
  DELETE FROM situation_sighted_days;
  RETURN NULL;
END $$;

CREATE TRIGGER situation_sightings_inserted AFTER INSERT ON intel_sightings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_sightings_added();
CREATE TRIGGER situation_sightings_deleted AFTER DELETE ON intel_sightings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_sightings_removed();
-- An update is its old rows taken out and its new rows put in (two triggers, as a trigger with
-- transition tables has one event; both fire after the statement, the old rows first by name order).
CREATE TRIGGER situation_sightings_updated_1 AFTER UPDATE ON intel_sightings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_sightings_removed();
CREATE TRIGGER situation_sightings_updated_2 AFTER UPDATE ON intel_sightings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_sightings_added();
CREATE TRIGGER situation_sightings_truncated AFTER TRUNCATE ON intel_sightings
  FOR EACH STATEMENT EXECUTE FUNCTION situation_sightings_emptied();

-- The sightings already there.
INSERT INTO situation_sighting_days (day, cell, country, tlp, author_id, author_org_id, audience_organisations, audience_communities, audience_people, sightings, times)
SELECT (s.last_seen AT TIME ZONE 'UTC')::date, situation_sighting_cell(s.country, s.tlp, s.author_id, s.author_org_id, s.audience_organisations, s.audience_communities, s.audience_people),
  s.country, s.tlp, s.author_id, s.author_org_id, s.audience_organisations, s.audience_communities, s.audience_people, count(*), sum(s.count)
FROM intel_sightings s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
INSERT INTO situation_sighted_days (day, sighting_of, sightings)
SELECT (s.last_seen AT TIME ZONE 'UTC')::date, s.sighting_of, count(*) FROM intel_sightings s GROUP BY 1, 2;
