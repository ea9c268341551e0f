-- The organiser's side: web logins, invitations, the audit log, and data protection.

-- A browser login. Only a BLAKE2b hash of the cookie's token is kept; `csrf` is the token
-- every changing request made with this cookie must echo (header or form field).
CREATE TABLE login_sessions (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_sessions_user ON login_sessions(user_id);

-- A one-time link that lets a new organiser choose a password.
CREATE TABLE invitations (
  code_hash  BLOB PRIMARY KEY,
  email      TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('organiser', 'admin')),
  invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
) WITHOUT ROWID;

ALTER TABLE api_tokens ADD COLUMN label TEXT NOT NULL DEFAULT '';

-- Every organiser action, written in the same transaction as the change it records.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  user_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  user_email TEXT NOT NULL,
  event_id   INTEGER REFERENCES events(id) ON DELETE SET NULL,
  action     TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_event ON audit_log(event_id, id);

-- Personal data of an event is deleted this many days after it ends (NULL: kept);
-- anonymous counts and statistics stay.
ALTER TABLE events ADD COLUMN retention_days INTEGER CHECK (retention_days IS NULL OR retention_days >= 0);
ALTER TABLE events ADD COLUMN personal_data_deleted_at TEXT;
ALTER TABLE registrations ADD COLUMN anonymised_at TEXT;
ALTER TABLE registrations ADD COLUMN updated_at TEXT;

-- Arrivals over time and admissions per device read this index alone, in time order.
CREATE INDEX attendance_event_first ON attendance(event_id, list_id, first_at, first_device_id);
