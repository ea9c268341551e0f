-- Seat counts kept beside the rows they count, so a registration and the event page
-- read them in O(1) instead of counting every registration. Triggers keep them exact
-- for every way a registration changes; all of it runs inside the writer's transaction.

ALTER TABLE events ADD COLUMN confirmed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN waitlisted_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN cancelled_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_sessions ADD COLUMN confirmed_count INTEGER NOT NULL DEFAULT 0;

UPDATE events SET
  confirmed_count  = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'confirmed'),
  waitlisted_count = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'waitlisted'),
  cancelled_count  = (SELECT count(*) FROM registrations r WHERE r.event_id = events.id AND r.status = 'cancelled');
UPDATE event_sessions SET confirmed_count =
  (SELECT count(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id
    WHERE rs.session_id = event_sessions.id AND r.status = 'confirmed');

CREATE TRIGGER registrations_count_insert AFTER INSERT ON registrations BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  + (NEW.status = 'confirmed'),
    waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted'),
    cancelled_count  = cancelled_count  + (NEW.status = 'cancelled')
  WHERE id = NEW.event_id;
END;

CREATE TRIGGER registrations_count_update AFTER UPDATE OF status ON registrations
WHEN OLD.status <> NEW.status BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  + (NEW.status = 'confirmed')  - (OLD.status = 'confirmed'),
    waitlisted_count = waitlisted_count + (NEW.status = 'waitlisted') - (OLD.status = 'waitlisted'),
    cancelled_count  = cancelled_count  + (NEW.status = 'cancelled')  - (OLD.status = 'cancelled')
  WHERE id = NEW.event_id;
  UPDATE event_sessions SET confirmed_count = confirmed_count + (NEW.status = 'confirmed') - (OLD.status = 'confirmed')
  WHERE id IN (SELECT session_id FROM registration_sessions WHERE registration_id = NEW.id);
END;

-- BEFORE: the registration's sessions are still there to be counted down; the cascade
-- that removes them afterwards finds no registration and changes nothing.
CREATE TRIGGER registrations_count_delete BEFORE DELETE ON registrations BEGIN
  UPDATE events SET
    confirmed_count  = confirmed_count  - (OLD.status = 'confirmed'),
    waitlisted_count = waitlisted_count - (OLD.status = 'waitlisted'),
    cancelled_count  = cancelled_count  - (OLD.status = 'cancelled')
  WHERE id = OLD.event_id;
  UPDATE event_sessions SET confirmed_count = confirmed_count - (OLD.status = 'confirmed')
  WHERE id IN (SELECT session_id FROM registration_sessions WHERE registration_id = OLD.id);
END;

CREATE TRIGGER registration_sessions_count_insert AFTER INSERT ON registration_sessions BEGIN
  UPDATE event_sessions SET confirmed_count = confirmed_count + 1
  WHERE id = NEW.session_id AND (SELECT status FROM registrations WHERE id = NEW.registration_id) = 'confirmed';
END;

CREATE TRIGGER registration_sessions_count_delete AFTER DELETE ON registration_sessions BEGIN
  UPDATE event_sessions SET confirmed_count = confirmed_count - 1
  WHERE id = OLD.session_id AND (SELECT status FROM registrations WHERE id = OLD.registration_id) = 'confirmed';
END;
