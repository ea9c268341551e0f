-- What several servers on one database share (../008_servers.sql).
CREATE TABLE rate_windows (
  key    text NOT NULL,
  minute text NOT NULL,
  n      integer NOT NULL,
  PRIMARY KEY (key, minute)
);

ALTER TABLE outbox ADD COLUMN claimed_until text;
