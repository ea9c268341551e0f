-- Messages to attendees (issue 16; ../postgresql/011_messages.sql): what the organiser wrote, in
-- one or more languages, to whom (the attendee filter it was sent with), and one outbox row per
-- recipient, so a message goes out with the guarantees of every mail (once, retried, its state
-- listed). A test mail to the organiser has no registration: its address and language are on
-- its outbox row.
CREATE TABLE messages (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  subject    TEXT NOT NULL,  -- JSON: {"de": "…", "en": "…", "ar": "…"}, the languages written
  body       TEXT NOT NULL,  -- JSON, the same languages
  audience   TEXT NOT NULL,  -- JSON: the filter the recipients were chosen by
  recipients INTEGER NOT NULL,
  test       INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX messages_event ON messages(event_id, id);
ALTER TABLE outbox ADD COLUMN message_ref INTEGER REFERENCES messages(id) ON DELETE CASCADE;
ALTER TABLE outbox ADD COLUMN to_address TEXT;
ALTER TABLE outbox ADD COLUMN language TEXT;
CREATE INDEX outbox_message ON outbox(message_ref) WHERE message_ref IS NOT NULL;
