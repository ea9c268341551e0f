-- Webhooks of an organisation (issue 14): told of the changes of every event it holds, those
-- made later too. A webhook belongs to an event or to an organisation. SQLite cannot drop the
-- NOT NULL of event_id, so both tables are made anew: the deliveries first, so that dropping
-- the old webhooks cascades into nothing that is kept (a renamed table's references follow it).
ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_old;
ALTER TABLE webhooks RENAME TO webhooks_old;
CREATE TABLE webhooks (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER REFERENCES events(id) ON DELETE CASCADE,
  organisation_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
  url             TEXT NOT NULL,
  secret          TEXT NOT NULL,
  kinds           TEXT NOT NULL,
  created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at      TEXT NOT NULL,
  CHECK ((event_id IS NULL) <> (organisation_id IS NULL))
);
INSERT INTO webhooks (id, event_id, url, secret, kinds, created_by, created_at)
  SELECT id, event_id, url, secret, kinds, created_by, created_at FROM webhooks_old;
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
  answer_status   INTEGER,
  answer          TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
INSERT INTO webhook_deliveries (id, webhook_id, kind, registration_id, payload, status, attempts, next_attempt_at,
                                claimed_until, answer_status, answer, created_at, sent_at)
  SELECT id, webhook_id, kind, registration_id, payload, status, attempts, next_attempt_at, claimed_until,
         answer_status, answer, created_at, sent_at FROM webhook_deliveries_old;
DROP TABLE webhook_deliveries_old;
DROP TABLE webhooks_old;
CREATE INDEX webhooks_event ON webhooks(event_id);
CREATE INDEX webhooks_organisation ON webhooks(organisation_id);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);
CREATE INDEX webhook_deliveries_registration ON webhook_deliveries(registration_id);
