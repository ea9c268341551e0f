-- Door devices, the check-in audit trail, and who is in.

-- A tablet or phone at a door, set to one check-in list: 0 is the whole event, otherwise
-- the id of a session (working group, day, slot).
CREATE TABLE devices (
  id                 INTEGER PRIMARY KEY,
  event_id           INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name               TEXT NOT NULL,
  list_id            INTEGER NOT NULL DEFAULT 0,
  pairing_code_hash  BLOB UNIQUE,                 -- one-time code in the pairing link; NULL once used
  pairing_expires_at TEXT,
  created_at         TEXT NOT NULL,
  paired_at          TEXT,
  revoked_at         TEXT,
  last_seen_at       TEXT
);
CREATE INDEX devices_event ON devices(event_id);

-- A device may hold several tokens (the one handed to the organiser, the one made at
-- pairing); only their BLAKE2b hashes are kept.
CREATE TABLE device_tokens (
  token_hash BLOB PRIMARY KEY,
  device_id  INTEGER NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Every scan, decided or not: the audit trail organisers export.
CREATE TABLE checkins (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  device_id       INTEGER REFERENCES devices(id) ON DELETE SET NULL,
  registration_id INTEGER REFERENCES registrations(id) ON DELETE SET NULL,
  list_id         INTEGER NOT NULL,
  type            TEXT NOT NULL CHECK (type IN ('entry', 'exit', 'undo')),
  result          TEXT NOT NULL,
  effect          TEXT,                          -- created | reentered | exited: what undo reverses
  undoes_id       INTEGER REFERENCES checkins(id),
  nonce           TEXT,
  at              TEXT NOT NULL
);
CREATE UNIQUE INDEX checkins_nonce ON checkins(device_id, nonce) WHERE nonce IS NOT NULL;
CREATE INDEX checkins_event_at ON checkins(event_id, at);
CREATE INDEX checkins_registration ON checkins(registration_id);
CREATE UNIQUE INDEX checkins_undone_once ON checkins(undoes_id) WHERE undoes_id IS NOT NULL;

-- Who is checked in on which list: one row per person and list makes "only one ok" a
-- constraint as well as a rule.
CREATE TABLE attendance (
  registration_id  INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  list_id          INTEGER NOT NULL,
  event_id         INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  first_checkin_id INTEGER NOT NULL,
  first_at         TEXT NOT NULL,
  first_device_id  INTEGER,
  inside           INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (registration_id, list_id)
) WITHOUT ROWID;
CREATE INDEX attendance_event_list ON attendance(event_id, list_id, inside);
