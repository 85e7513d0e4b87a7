-- Per-object results of a submission in chunks (issue 4): a 100 MB upload has ~180,000
-- of them, and one jsonb value of ~30 MB cost the embedded database ~80 MB of memory it
-- never gives back (WASM memory only grows). Chunks are written and read in order;
-- intel_submissions.results keeps what was stored there before this migration.
CREATE TABLE intel_submission_results (
  submission_id uuid NOT NULL REFERENCES intel_submissions(id) ON DELETE CASCADE,
  chunk integer NOT NULL,
  results jsonb NOT NULL,
  PRIMARY KEY (submission_id, chunk)
);
