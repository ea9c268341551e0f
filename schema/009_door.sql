-- The door offline (issue 13; ../postgresql/009_door.sql). A scan a tablet queued while the
-- network was down keeps the tablet's time of the scan in `at` (clamped to the device's pairing
-- and to the server's now); `received_at` is when the server had it (NULL: decided online, at
-- the time it arrived). `admitted_offline`: the tablet let the person in by itself. Such a scan
-- the server finds admitted already by another device is a conflict the organiser sees.
ALTER TABLE checkins ADD COLUMN received_at TEXT;
ALTER TABLE checkins ADD COLUMN admitted_offline INTEGER NOT NULL DEFAULT 0;
CREATE INDEX checkins_offline_admissions ON checkins(event_id) WHERE admitted_offline = 1;

-- Search as people write names (checkin/fold.hpp): the names and organisation folded with ICU
-- when stored, so that a search compares stored keys. NULL: not folded yet; the server folds
-- such rows when it starts (migrate), as SQL cannot.
ALTER TABLE registrations ADD COLUMN search_key TEXT;
-- Only rows not folded yet: the start-up's lookup of them stays an index lookup on an empty index.
CREATE INDEX registrations_unfolded ON registrations(id) WHERE search_key IS NULL;
