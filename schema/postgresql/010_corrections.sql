-- Check-ins corrected by hand (../010_corrections.sql): the organiser and the reason.
ALTER TABLE checkins ADD COLUMN by_user_id bigint REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE checkins ADD COLUMN reason text;
