-- Einlass initial schema. Migrations are append-only: never edit a released file,
-- add NNN_next.sql instead. PRAGMA user_version records the last one applied.
-- Times are stored as UTC text 'YYYY-MM-DDTHH:MM:SSZ', which sorts chronologically.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('organiser', 'admin')),
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- Organiser API tokens; only a BLAKE2b hash of the token is kept.
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash BLOB NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE events (
  id                     INTEGER PRIMARY KEY,
  slug                   TEXT NOT NULL UNIQUE,
  title                  TEXT NOT NULL,
  description            TEXT NOT NULL DEFAULT '',
  starts_at              TEXT NOT NULL,
  ends_at                TEXT NOT NULL,
  timezone               TEXT NOT NULL DEFAULT 'Europe/Berlin',
  venue                  TEXT NOT NULL DEFAULT '',
  address                TEXT NOT NULL DEFAULT '',
  capacity               INTEGER CHECK (capacity IS NULL OR capacity >= 0),
  waitlist               INTEGER NOT NULL DEFAULT 0,
  registration_opens_at  TEXT,
  registration_closes_at TEXT,
  status                 TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('draft', 'published', 'cancelled')),
  fields                 TEXT NOT NULL DEFAULT '{}',   -- JSON: standard field -> off|optional|required
  owner_id               INTEGER REFERENCES users(id),
  sign_public_key        BLOB NOT NULL,                -- Ed25519, verifies ticket codes offline
  sign_secret_key        BLOB NOT NULL,
  created_at             TEXT NOT NULL
);

-- Events an organiser was given besides the ones they created.
CREATE TABLE event_access (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, user_id)
) WITHOUT ROWID;

-- Working groups, topic tables, workshop slots, days.
CREATE TABLE event_sessions (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  title      TEXT NOT NULL,
  capacity   INTEGER CHECK (capacity IS NULL OR capacity >= 0),
  starts_at  TEXT,
  ends_at    TEXT
);
CREATE INDEX event_sessions_event ON event_sessions(event_id, position);

CREATE TABLE questions (
  id        INTEGER PRIMARY KEY,
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  key       TEXT NOT NULL,
  kind      TEXT NOT NULL CHECK (kind IN ('text', 'single', 'multiple', 'checkbox')),
  label     TEXT NOT NULL,
  required  INTEGER NOT NULL DEFAULT 0,
  options   TEXT NOT NULL DEFAULT '[]',                -- JSON array of strings
  UNIQUE (event_id, key)
);

CREATE TABLE registrations (
  id                INTEGER PRIMARY KEY,
  event_id          INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  status            TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
  first_name        TEXT NOT NULL,
  last_name         TEXT NOT NULL,
  email             TEXT NOT NULL,
  email_key         TEXT NOT NULL,                     -- trimmed, lower-case: one registration per address
  organisation      TEXT NOT NULL DEFAULT '',
  organisation_type TEXT NOT NULL DEFAULT '',
  position          TEXT NOT NULL DEFAULT '',
  phone             TEXT NOT NULL DEFAULT '',
  language          TEXT NOT NULL DEFAULT 'de',
  answers           TEXT NOT NULL DEFAULT '{}',        -- JSON: question key -> answer
  consent_at        TEXT NOT NULL,
  consent_version   TEXT NOT NULL,
  ticket_code       TEXT NOT NULL UNIQUE,
  created_at        TEXT NOT NULL
);
CREATE INDEX registrations_event_status ON registrations(event_id, status);
CREATE UNIQUE INDEX registrations_one_per_email ON registrations(event_id, email_key) WHERE status <> 'cancelled';

CREATE TABLE registration_sessions (
  registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
  session_id      INTEGER NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
  PRIMARY KEY (registration_id, session_id)
) WITHOUT ROWID;
CREATE INDEX registration_sessions_session ON registration_sessions(session_id);
