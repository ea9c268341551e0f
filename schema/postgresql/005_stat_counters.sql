-- Counters for the statistics and the door's counts (../005_stat_counters.sql), kept by
-- triggers in the transaction of every change.

ALTER TABLE registrations ADD COLUMN lists_attended integer NOT NULL DEFAULT 0;

CREATE TABLE stat_types (
  event_id          bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  organisation_type text NOT NULL,
  status            text NOT NULL,
  came              integer NOT NULL,
  n                 bigint NOT NULL,
  PRIMARY KEY (event_id, organisation_type, status, came)
);

CREATE TABLE stat_sessions (
  session_id bigint NOT NULL REFERENCES event_sessions(id) ON DELETE CASCADE,
  status     text NOT NULL,
  came       integer NOT NULL,
  n          bigint NOT NULL,
  PRIMARY KEY (session_id, status, came)
);

CREATE TABLE stat_lists (
  event_id   bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  list_id    bigint NOT NULL,
  checked_in bigint NOT NULL,
  inside     bigint NOT NULL,
  PRIMARY KEY (event_id, list_id)
);

CREATE TABLE stat_arrivals (
  event_id  bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  minute    text NOT NULL,
  device_id bigint NOT NULL,
  n         bigint NOT NULL,
  PRIMARY KEY (event_id, minute, device_id)
);

UPDATE registrations SET lists_attended = (SELECT count(*) FROM attendance a WHERE a.registration_id = registrations.id);
INSERT INTO stat_types (event_id, organisation_type, status, came, n)
  SELECT event_id, organisation_type, status, (lists_attended > 0)::int, count(*) FROM registrations GROUP BY 1, 2, 3, 4;
INSERT INTO stat_sessions (session_id, status, came, n)
  SELECT rs.session_id, r.status, (r.lists_attended > 0)::int, count(*)
  FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id GROUP BY 1, 2, 3;
INSERT INTO stat_lists (event_id, list_id, checked_in, inside)
  SELECT event_id, list_id, count(*), sum(inside) FROM attendance GROUP BY 1, 2;
INSERT INTO stat_arrivals (event_id, minute, device_id, n)
  SELECT event_id, substr(first_at, 1, 16), coalesce(first_device_id, 0), count(*) FROM attendance
  WHERE list_id = 0 GROUP BY 1, 2, 3;

-- Check-in lists.
CREATE FUNCTION stat_attendance_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE registrations SET lists_attended = lists_attended + 1 WHERE id = NEW.registration_id;
  INSERT INTO stat_lists (event_id, list_id, checked_in, inside) VALUES (NEW.event_id, NEW.list_id, 1, NEW.inside)
    ON CONFLICT (event_id, list_id) DO UPDATE
    SET checked_in = stat_lists.checked_in + 1, inside = stat_lists.inside + excluded.inside;
  IF NEW.list_id = 0 THEN
    INSERT INTO stat_arrivals (event_id, minute, device_id, n)
      VALUES (NEW.event_id, substr(NEW.first_at, 1, 16), coalesce(NEW.first_device_id, 0), 1)
      ON CONFLICT (event_id, minute, device_id) DO UPDATE SET n = stat_arrivals.n + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_attendance_insert AFTER INSERT ON attendance
  FOR EACH ROW EXECUTE FUNCTION stat_attendance_insert();

CREATE FUNCTION stat_attendance_inside() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stat_lists SET inside = inside + NEW.inside - OLD.inside WHERE event_id = NEW.event_id AND list_id = NEW.list_id;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_attendance_inside AFTER UPDATE OF inside ON attendance
  FOR EACH ROW WHEN (OLD.inside <> NEW.inside) EXECUTE FUNCTION stat_attendance_inside();

CREATE FUNCTION stat_attendance_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE registrations SET lists_attended = lists_attended - 1 WHERE id = OLD.registration_id;
  UPDATE stat_lists SET checked_in = checked_in - 1, inside = inside - OLD.inside
  WHERE event_id = OLD.event_id AND list_id = OLD.list_id;
  IF OLD.list_id = 0 THEN
    UPDATE stat_arrivals SET n = n - 1
    WHERE event_id = OLD.event_id AND minute = substr(OLD.first_at, 1, 16) AND device_id = coalesce(OLD.first_device_id, 0);
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER stat_attendance_delete AFTER DELETE ON attendance
  FOR EACH ROW EXECUTE FUNCTION stat_attendance_delete();

-- Registrations: a person counts once by type and once per session, under their status and
-- whether they came.
CREATE FUNCTION stat_registration_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_types (event_id, organisation_type, status, came, n)
    VALUES (NEW.event_id, NEW.organisation_type, NEW.status, (NEW.lists_attended > 0)::int, 1)
    ON CONFLICT (event_id, organisation_type, status, came) DO UPDATE SET n = stat_types.n + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_registration_insert AFTER INSERT ON registrations
  FOR EACH ROW EXECUTE FUNCTION stat_registration_insert();

CREATE FUNCTION stat_registration_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stat_types SET n = n - 1
  WHERE event_id = OLD.event_id AND organisation_type = OLD.organisation_type AND status = OLD.status
    AND came = (OLD.lists_attended > 0)::int;
  INSERT INTO stat_types (event_id, organisation_type, status, came, n)
    VALUES (NEW.event_id, NEW.organisation_type, NEW.status, (NEW.lists_attended > 0)::int, 1)
    ON CONFLICT (event_id, organisation_type, status, came) DO UPDATE SET n = stat_types.n + 1;
  UPDATE stat_sessions SET n = n - 1
  WHERE status = OLD.status AND came = (OLD.lists_attended > 0)::int
    AND session_id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
  INSERT INTO stat_sessions (session_id, status, came, n)
    SELECT session_id, NEW.status, (NEW.lists_attended > 0)::int, 1 FROM registration_sessions
    WHERE registration_id = NEW.id
    ON CONFLICT (session_id, status, came) DO UPDATE SET n = stat_sessions.n + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_registration_update AFTER UPDATE OF status, organisation_type, lists_attended ON registrations
  FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.organisation_type <> NEW.organisation_type
    OR (OLD.lists_attended > 0) <> (NEW.lists_attended > 0))
  EXECUTE FUNCTION stat_registration_update();

CREATE FUNCTION stat_registration_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stat_types SET n = n - 1
  WHERE event_id = OLD.event_id AND organisation_type = OLD.organisation_type AND status = OLD.status
    AND came = (OLD.lists_attended > 0)::int;
  UPDATE stat_sessions SET n = n - 1
  WHERE status = OLD.status AND came = (OLD.lists_attended > 0)::int
    AND session_id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
  RETURN OLD;
END $$;
CREATE TRIGGER stat_registration_delete BEFORE DELETE ON registrations
  FOR EACH ROW EXECUTE FUNCTION stat_registration_delete();

CREATE FUNCTION stat_registration_sessions_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO stat_sessions (session_id, status, came, n)
    SELECT NEW.session_id, status, (lists_attended > 0)::int, 1 FROM registrations WHERE id = NEW.registration_id
    ON CONFLICT (session_id, status, came) DO UPDATE SET n = stat_sessions.n + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_registration_sessions_insert AFTER INSERT ON registration_sessions
  FOR EACH ROW EXECUTE FUNCTION stat_registration_sessions_insert();

CREATE FUNCTION stat_registration_sessions_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE stat_sessions SET n = n - 1
  WHERE session_id = OLD.session_id
    AND (status, came) = (SELECT status, (lists_attended > 0)::int FROM registrations WHERE id = OLD.registration_id);
  RETURN OLD;
END $$;
CREATE TRIGGER stat_registration_sessions_delete AFTER DELETE ON registration_sessions
  FOR EACH ROW EXECUTE FUNCTION stat_registration_sessions_delete();
