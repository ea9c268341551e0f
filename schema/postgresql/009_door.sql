-- The door offline (../009_door.sql): scans queued while the network was down keep their time.
ALTER TABLE checkins ADD COLUMN received_at text;
ALTER TABLE checkins ADD COLUMN admitted_offline integer NOT NULL DEFAULT 0;
CREATE INDEX checkins_offline_admissions ON checkins(event_id) WHERE admitted_offline = 1;
-- Search as people write names (../009_door.sql): folded by the server, NULL until then.
ALTER TABLE registrations ADD COLUMN search_key text;
CREATE INDEX registrations_unfolded ON registrations(id) WHERE search_key IS NULL;
