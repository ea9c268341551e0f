-- E-mail: an outbox written in the transaction of the change that causes each mail, worked
-- through by the sender; and what events ask for (double opt-in, reminder, thank-you).

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  registration_id INTEGER REFERENCES registrations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL,   -- ticket | waitlisted | promoted | confirm | changed | cancelled | reminder | thanks
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error      TEXT,
  message_id      TEXT NOT NULL UNIQUE,  -- stable across retries: a receiver can tell a repeat
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_registration ON outbox(registration_id, id);
CREATE INDEX outbox_event ON outbox(event_id, id);

-- Double opt-in: a registration holds its seat until confirm_by; confirmed when its link is
-- opened, cancelled (and the seat freed) when the time is up.
ALTER TABLE events ADD COLUMN opt_in_hours INTEGER CHECK (opt_in_hours IS NULL OR opt_in_hours > 0);
ALTER TABLE registrations ADD COLUMN confirm_by TEXT;
CREATE INDEX registrations_confirm_by ON registrations(confirm_by) WHERE confirm_by IS NOT NULL;

-- A reminder this many days before the start; a thank-you after the end to those who came.
ALTER TABLE events ADD COLUMN reminder_days INTEGER CHECK (reminder_days IS NULL OR reminder_days >= 0);
ALTER TABLE events ADD COLUMN thank_you INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN reminders_queued_at TEXT;
ALTER TABLE events ADD COLUMN thanks_queued_at TEXT;

-- Server-wide secrets (the key that signs links in mails).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
INSERT INTO settings (key, value) VALUES ('link_key', randomblob(32));
