-- Seat counts kept beside the rows they count (../002_counters.sql): triggers keep them exact
-- in the transaction of every change.

ALTER TABLE events ADD COLUMN confirmed_count bigint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN waitlisted_count bigint NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN cancelled_count bigint NOT NULL DEFAULT 0;
ALTER TABLE event_sessions ADD COLUMN confirmed_count bigint NOT NULL DEFAULT 0;

UPDATE events SET
  confirmed_count  = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'confirmed'),
  waitlisted_count = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'waitlisted'),
  cancelled_count  = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'cancelled');
UPDATE event_sessions SET confirmed_count =
  (SELECT count(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id
    WHERE rs.session_id = event_sessions.id AND r.status = 'confirmed');

CREATE FUNCTION registrations_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  + (NEW.status = 'confirmed')::int,
    waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')::int,
    cancelled_count  = cancelled_count  + (NEW.status = 'cancelled')::int
  WHERE id = NEW.event_id;
  RETURN NEW;
END $$;
CREATE TRIGGER registrations_count_insert AFTER INSERT ON registrations
  FOR EACH ROW EXECUTE FUNCTION registrations_count_insert();

CREATE FUNCTION registrations_count_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  + (NEW.status = 'confirmed')::int  - (OLD.status = 'confirmed')::int,
    waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted')::int - (OLD.status = 'waitlisted')::int,
    cancelled_count  = cancelled_count  + (NEW.status = 'cancelled')::int  - (OLD.status = 'cancelled')::int
  WHERE id = NEW.event_id;
  UPDATE event_sessions SET
    confirmed_count = confirmed_count + (NEW.status = 'confirmed')::int - (OLD.status = 'confirmed')::int
  WHERE id IN (SELECT session_id FROM registration_sessions WHERE registration_id = NEW.id);
  RETURN NEW;
END $$;
CREATE TRIGGER registrations_count_update AFTER UPDATE OF status ON registrations
  FOR EACH ROW WHEN (OLD.status <> NEW.status) EXECUTE FUNCTION registrations_count_update();

-- BEFORE: the registration's sessions are still there to be counted down.
CREATE FUNCTION registrations_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  - (OLD.status = 'confirmed')::int,
    waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted')::int,
    cancelled_count  = cancelled_count  - (OLD.status = 'cancelled')::int
  WHERE id = OLD.event_id;
  UPDATE event_sessions SET confirmed_count = confirmed_count - (OLD.status = 'confirmed')::int
  WHERE id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
  RETURN OLD;
END $$;
CREATE TRIGGER registrations_count_delete BEFORE DELETE ON registrations
  FOR EACH ROW EXECUTE FUNCTION registrations_count_delete();

CREATE FUNCTION registration_sessions_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event_sessions SET confirmed_count = confirmed_count + 1
  WHERE id = NEW.session_id AND (SELECT status FROM registrations WHERE id = NEW.registration_id) = 'confirmed';
  RETURN NEW;
END $$;
CREATE TRIGGER registration_sessions_count_insert AFTER INSERT ON registration_sessions
  FOR EACH ROW EXECUTE FUNCTION registration_sessions_count_insert();

CREATE FUNCTION registration_sessions_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE event_sessions SET confirmed_count = confirmed_count - 1
  WHERE id = OLD.session_id AND (SELECT status FROM registrations WHERE id = OLD.registration_id) = 'confirmed';
  RETURN OLD;
END $$;
CREATE TRIGGER registration_sessions_count_delete AFTER DELETE ON registration_sessions
  FOR EACH ROW EXECUTE FUNCTION registration_sessions_count_delete();
