-- Paperwork (issue 15): certificates of attendance, anonymous feedback, badges printed, and
-- the images documents carry (the signer's signature, funders' logos).

-- JSON: {"certificates": true, "certificate_text": {"de": "…"}, "signer": "…", "signer_role": "…",
-- "feedback": true}.
ALTER TABLE events ADD COLUMN paperwork TEXT NOT NULL DEFAULT '{}';
-- When the person's badge was last printed (the "not yet printed" filter).
ALTER TABLE registrations ADD COLUMN badge_printed_at TEXT;
-- That the person answered the feedback form: nothing says which answer was theirs.
ALTER TABLE registrations ADD COLUMN feedback_given INTEGER NOT NULL DEFAULT 0;

-- A certificate's short public id, printed on it and in its verification link /v/{id}-{mac};
-- given to a person who came when their first certificate is made.
CREATE TABLE certificates (
  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id) ON DELETE CASCADE,
  event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  public_id       TEXT NOT NULL UNIQUE,
  issued_at       TEXT NOT NULL
);
CREATE INDEX certificates_event ON certificates(event_id);

-- Answers to the feedback form, anonymous: no row names a registration, and only the day is kept.
CREATE TABLE feedback (
  id           INTEGER PRIMARY KEY,
  event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  overall      INTEGER CHECK (overall BETWEEN 1 AND 5),
  content      INTEGER CHECK (content BETWEEN 1 AND 5),
  contacts     INTEGER CHECK (contacts BETWEEN 1 AND 5),
  organisation INTEGER CHECK (organisation BETWEEN 1 AND 5),
  comment      TEXT NOT NULL DEFAULT '',
  day          TEXT NOT NULL
);
CREATE INDEX feedback_event ON feedback(event_id);

CREATE TABLE event_images (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  name     TEXT NOT NULL CHECK (name IN ('signature', 'funder-1', 'funder-2', 'funder-3')),
  type     TEXT NOT NULL CHECK (type = 'image/png'),
  bytes    BLOB NOT NULL,
  PRIMARY KEY (event_id, name)
) WITHOUT ROWID;
