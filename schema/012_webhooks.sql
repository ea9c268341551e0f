-- Webhooks (issue 16; ../postgresql/012_webhooks.sql): an event's changes told to another
-- system (a network's CRM). Each delivery is queued in the transaction of the change, like a
-- mail, and sent by the server: signed, retried with back-off, in order per registration. The
-- payload holds the person's data: it goes when their data is deleted.
CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY,
  event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  kinds      TEXT NOT NULL,  -- JSON array: registration.created, registration.changed, ...
  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX webhooks_event ON webhooks(event_id);
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  webhook_id      INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL,
  registration_id INTEGER REFERENCES registrations(id) ON DELETE CASCADE,
  payload         TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until   TEXT,
  answer_status   INTEGER,  -- the receiver's HTTP status of the last attempt
  answer          TEXT,     -- the start of its answer, or why there was none
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_registration ON webhook_deliveries(registration_id);
