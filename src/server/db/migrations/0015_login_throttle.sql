-- Sign-in throttling per (e-mail, client network) and per (account, client network)
-- for the second step, instead of per account (issue 9): a lock on the account told
-- whether an address has one, and let anyone keep any account locked. Only a SHA-256
-- of the key is stored, never the address. people.failed_logins and locked_until stay
-- (released versions wrote them) but no longer lock anything.
CREATE TABLE login_throttle (
  key_hash text PRIMARY KEY,
  failures integer NOT NULL,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_throttle_updated_at ON login_throttle (updated_at);

-- A password-reset request as received: the answer only writes this row, the same for
-- every address, so its timing does not tell who has an account. A job (or, without
-- jobs, the instance right after answering) looks the account up, mails the link and
-- deletes the row; a row still here after a crash is picked up by the sweep.
-- email_hash is the SHA-256 (hex) of lower(email): an address without an account is
-- never stored in clear.
CREATE TABLE password_reset_requests (
  id uuid PRIMARY KEY,
  email_hash text NOT NULL,
  language text,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX password_reset_requests_created_at ON password_reset_requests (created_at);
