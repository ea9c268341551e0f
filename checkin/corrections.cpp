#include "checkin/corrections.hpp"

#include "checkin/registration.hpp"

namespace einlass::checkin {

namespace {

void sign(database& db, std::int64_t checkin_id, user const& who, std::string const& reason) {
  db.cached("UPDATE checkins SET by_user_id = ?2, reason = ?3 WHERE id = ?1")
      .bind_all(checkin_id, who.id, reason)
      .run();
}

// Whether the registration is the event's; a correction never reaches into another event.
bool belongs(database& db, std::int64_t event_id, std::int64_t registration_id) {
  return db
      .query_one<std::int64_t>("SELECT id FROM registrations WHERE id = ?1 AND event_id = ?2", registration_id,
                               event_id)
      .has_value();
}

}  // namespace

outcome<scan_outcome> admit_by_hand(database& db, std::int64_t event_id, std::int64_t registration_id,
                                    std::int64_t list_id, user const& who, std::string const& reason, sys_seconds at) {
  if (!belongs(db, event_id, registration_id)) return fail(errc::not_found);
  scan_request req;
  req.dev.event_id = event_id;  // no device: id 0, stored as NULL
  req.registration_id = registration_id;
  req.list_id = list_id;
  savepoint only_if_admitted(db, "admit");  // a refusal leaves no row: nothing was corrected
  auto out = record_scan(db, req, at);
  if (out.result == scan_result::ok) {
    sign(db, out.checkin_id, who, reason);
    only_if_admitted.release();
  }
  return out;
}

outcome<scan_outcome> unadmit_by_hand(database& db, std::int64_t event_id, std::int64_t registration_id,
                                      std::int64_t list_id, user const& who, std::string const& reason,
                                      sys_seconds at) {
  if (!belongs(db, event_id, registration_id)) return fail(errc::not_found);
  auto first = db.query_one<std::int64_t>(
      "SELECT first_checkin_id FROM attendance WHERE registration_id = ?1 AND list_id = ?2", registration_id, list_id);
  if (!first) return fail(errc::not_found);
  // The counters of schema/005 follow the deleted row, as for a door's undo of an admission.
  db.cached("DELETE FROM attendance WHERE registration_id = ?1 AND list_id = ?2")
      .bind_all(registration_id, list_id)
      .run();
  auto st = db.cached(
      "INSERT INTO checkins (event_id, registration_id, list_id, type, result, undoes_id, at, by_user_id, reason) "
      "VALUES (?1, ?2, ?3, 'undo', 'undone', ?4, ?5, ?6, ?7) RETURNING id");
  st.bind_all(event_id, registration_id, list_id, *first, to_utc_text(at), who.id, reason);
  scan_outcome out;
  out.checkin_id = inserted_id(st);
  out.result = scan_result::undone;
  return out;
}

}  // namespace einlass::checkin
