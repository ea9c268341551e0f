-- Check-ins corrected by hand (issue 16; ../postgresql/010_corrections.sql): an organiser admits
-- someone (who came without their ticket) or takes an admission back (a wrong scan), always with
-- a reason. Such a row has no device; `by_user_id` names the organiser, `reason` says why. The
-- reason may speak of the person: anonymising their registration clears it.
ALTER TABLE checkins ADD COLUMN by_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE checkins ADD COLUMN reason TEXT;
