-- Organisations (issue 14): a network, a chamber or a Welcome Center holds events and
-- organisers and says on every public page who invites (imprint) and who is responsible for
-- the data (privacy notice, GDPR Art. 13). Events made before stay without one.
CREATE TABLE organisations (
  id              INTEGER PRIMARY KEY,
  slug            TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  details         TEXT NOT NULL DEFAULT '{}',  -- JSON: address, representative, contact, register, ... (the imprint)
  texts           TEXT NOT NULL DEFAULT '{}',  -- JSON: what the organisation adds per language to imprint and notice
  privacy_version INTEGER NOT NULL DEFAULT 1,  -- counts up whenever the notice's content changes
  logo            BLOB,
  logo_type       TEXT CHECK (logo_type IS NULL OR logo_type IN ('image/png', 'image/svg+xml')),
  created_at      TEXT NOT NULL
);
CREATE TABLE organisation_members (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (organisation_id, user_id)
) WITHOUT ROWID;
CREATE INDEX organisation_members_user ON organisation_members(user_id);
ALTER TABLE events ADD COLUMN organisation_id INTEGER REFERENCES organisations(id);
CREATE INDEX events_organisation ON events(organisation_id, starts_at);
