-- What several servers on one database share (PostgreSQL; ../postgresql/008_servers.sql).

-- Rate limits: one row per budget, client address and minute, deleted by housekeeping once
-- its minute has passed, so an address is kept no longer. (A lone SQLite server counts in
-- memory; the table stays empty.)
CREATE TABLE rate_windows (
  key    TEXT NOT NULL,     -- budget and client address
  minute TEXT NOT NULL,     -- 'YYYY-MM-DDTHH:MM', UTC
  n      INTEGER NOT NULL,
  PRIMARY KEY (key, minute)
) WITHOUT ROWID;

-- A mail a sender has taken is its own until then: every server runs a sender, and each
-- mail goes out through one. Cleared when the attempt is settled.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
