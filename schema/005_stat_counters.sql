-- Counters for the statistics and the door's counts, kept by triggers in the transaction of
-- every change: the dashboard and each scan read a few dozen rows however big the event.
-- Exactness is tested against a recount after every kind of change.

-- How many check-in lists a person is admitted on; > 0 means they came.
ALTER TABLE registrations ADD COLUMN lists_attended INTEGER NOT NULL DEFAULT 0;

-- People by organisation type, status and whether they came.
CREATE TABLE stat_types (
  event_id          INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  organisation_type TEXT NOT NULL,
  status            TEXT NOT NULL,
  came              INTEGER NOT NULL,
  n                 INTEGER NOT NULL,
  PRIMARY KEY (event_id, organisation_type, status, came)
) WITHOUT ROWID;

-- People by session, status and whether they came (to any list).
CREATE TABLE stat_sessions (
  session_id INTEGER NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
  status     TEXT NOT NULL,
  came       INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (session_id, status, came)
) WITHOUT ROWID;

-- Admitted and inside, per check-in list (0: the whole event).
CREATE TABLE stat_lists (
  event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  list_id    INTEGER NOT NULL,
  checked_in INTEGER NOT NULL,
  inside     INTEGER NOT NULL,
  PRIMARY KEY (event_id, list_id)
) WITHOUT ROWID;

-- First admissions to the whole event per minute ('YYYY-MM-DDTHH:MM', UTC) and device (0: none).
CREATE TABLE stat_arrivals (
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  minute    TEXT NOT NULL,
  device_id INTEGER NOT NULL,
  n         INTEGER NOT NULL,
  PRIMARY KEY (event_id, minute, device_id)
) WITHOUT ROWID;

-- What is there already.
UPDATE registrations SET lists_attended = (SELECT count(*) FROM attendance a WHERE a.registration_id = registrations.id);
INSERT INTO stat_types (event_id, organisation_type, status, came, n)
  SELECT event_id, organisation_type, status, lists_attended > 0, count(*) FROM registrations GROUP BY 1, 2, 3, 4;
INSERT INTO stat_sessions (session_id, status, came, n)
  SELECT rs.session_id, r.status, r.lists_attended > 0, count(*)
  FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id GROUP BY 1, 2, 3;
INSERT INTO stat_lists (event_id, list_id, checked_in, inside)
  SELECT event_id, list_id, count(*), sum(inside) FROM attendance GROUP BY 1, 2;
INSERT INTO stat_arrivals (event_id, minute, device_id, n)
  SELECT event_id, substr(first_at, 1, 16), coalesce(first_device_id, 0), count(*) FROM attendance
  WHERE list_id = 0 GROUP BY 1, 2, 3;

-- Check-in lists.
CREATE TRIGGER stat_attendance_insert AFTER INSERT ON attendance BEGIN
  UPDATE registrations SET lists_attended = lists_attended + 1 WHERE id = NEW.registration_id;
  INSERT INTO stat_lists (event_id, list_id, checked_in, inside) VALUES (NEW.event_id, NEW.list_id, 1, NEW.inside)
    ON CONFLICT (event_id, list_id) DO UPDATE SET checked_in = checked_in + 1, inside = inside + excluded.inside;
  INSERT INTO stat_arrivals (event_id, minute, device_id, n)
    SELECT NEW.event_id, substr(NEW.first_at, 1, 16), coalesce(NEW.first_device_id, 0), 1 WHERE NEW.list_id = 0
    ON CONFLICT (event_id, minute, device_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stat_attendance_inside AFTER UPDATE OF inside ON attendance WHEN OLD.inside <> NEW.inside BEGIN
  UPDATE stat_lists SET inside = inside + NEW.inside - OLD.inside WHERE event_id = NEW.event_id AND list_id = NEW.list_id;
END;

CREATE TRIGGER stat_attendance_delete AFTER DELETE ON attendance BEGIN
  UPDATE registrations SET lists_attended = lists_attended - 1 WHERE id = OLD.registration_id;
  UPDATE stat_lists SET checked_in = checked_in - 1, inside = inside - OLD.inside
  WHERE event_id = OLD.event_id AND list_id = OLD.list_id;
  UPDATE stat_arrivals SET n = n - 1
  WHERE OLD.list_id = 0 AND event_id = OLD.event_id AND minute = substr(OLD.first_at, 1, 16)
    AND device_id = coalesce(OLD.first_device_id, 0);
END;

-- Registrations: a person counts once by type and once per session, under their status and
-- whether they came.
CREATE TRIGGER stat_registration_insert AFTER INSERT ON registrations BEGIN
  INSERT INTO stat_types (event_id, organisation_type, status, came, n)
    VALUES (NEW.event_id, NEW.organisation_type, NEW.status, NEW.lists_attended > 0, 1)
    ON CONFLICT (event_id, organisation_type, status, came) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stat_registration_update AFTER UPDATE OF status, organisation_type, lists_attended ON registrations
WHEN OLD.status <> NEW.status OR OLD.organisation_type <> NEW.organisation_type
  OR (OLD.lists_attended > 0) <> (NEW.lists_attended > 0) BEGIN
  UPDATE stat_types SET n = n - 1
  WHERE event_id = OLD.event_id AND organisation_type = OLD.organisation_type AND status = OLD.status
    AND came = (OLD.lists_attended > 0);
  INSERT INTO stat_types (event_id, organisation_type, status, came, n)
    VALUES (NEW.event_id, NEW.organisation_type, NEW.status, NEW.lists_attended > 0, 1)
    ON CONFLICT (event_id, organisation_type, status, came) DO UPDATE SET n = n + 1;
  UPDATE stat_sessions SET n = n - 1
  WHERE status = OLD.status AND came = (OLD.lists_attended > 0)
    AND session_id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
  INSERT INTO stat_sessions (session_id, status, came, n)
    SELECT session_id, NEW.status, NEW.lists_attended > 0, 1 FROM registration_sessions WHERE registration_id = NEW.id
    ON CONFLICT (session_id, status, came) DO UPDATE SET n = n + 1;
END;

-- BEFORE: the sessions are still there to be counted down; the cascade that removes them
-- afterwards finds no registration and changes nothing.
CREATE TRIGGER stat_registration_delete BEFORE DELETE ON registrations BEGIN
  UPDATE stat_types SET n = n - 1
  WHERE event_id = OLD.event_id AND organisation_type = OLD.organisation_type AND status = OLD.status
    AND came = (OLD.lists_attended > 0);
  UPDATE stat_sessions SET n = n - 1
  WHERE status = OLD.status AND came = (OLD.lists_attended > 0)
    AND session_id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
END;

CREATE TRIGGER stat_registration_sessions_insert AFTER INSERT ON registration_sessions BEGIN
  INSERT INTO stat_sessions (session_id, status, came, n)
    SELECT NEW.session_id, status, lists_attended > 0, 1 FROM registrations WHERE id = NEW.registration_id
    ON CONFLICT (session_id, status, came) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER stat_registration_sessions_delete AFTER DELETE ON registration_sessions BEGIN
  UPDATE stat_sessions SET n = n - 1
  WHERE session_id = OLD.session_id
    AND (status, came) = (SELECT status, lists_attended > 0 FROM registrations WHERE id = OLD.registration_id);
END;
