#include "checkin/checkins.hpp"

#include "checkin/crypto.hpp"
#include "checkin/fold.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "checkin/webhooks.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

// A registration's status as the door sees it: one waiting for its double opt-in is not
// admitted yet ("unconfirmed").
constexpr std::string_view door_status =
    "CASE WHEN confirm_by IS NOT NULL AND status <> 'cancelled' THEN 'unconfirmed' ELSE status END";

// The last column of a door query over the event's people (?1) for list ?2 (0: the whole
// event): whether the person is on the list; attendance on that list joined as `a`.
constexpr std::string_view on_list_from =
    ", (?2 = 0 OR EXISTS (SELECT 1 FROM registration_sessions rs WHERE rs.registration_id = r.id AND rs.session_id = "
    "?2)) "
    "FROM registrations r LEFT JOIN attendance a ON a.registration_id = r.id AND a.list_id = ?2 ";

reg_status door_status_of(std::string_view s) { return reg_status_from_string(s).value_or(reg_status::cancelled); }

std::optional<attendee_brief> load_attendee(database& db, std::int64_t registration_id) {
  auto st = db.cached("SELECT id, first_name, last_name, organisation, " + std::string(door_status) +
                      " FROM registrations WHERE id = ?1");
  st.bind(1, registration_id);
  if (!st.step()) return std::nullopt;
  attendee_brief a{st.int64(0), st.text(1), st.text(2), st.text(3), door_status_of(st.text(4)), {}};
  auto ss = db.cached(
      "SELECT s.title FROM registration_sessions rs JOIN event_sessions s ON s.id = rs.session_id "
      "WHERE rs.registration_id = ?1 ORDER BY s.position");
  ss.bind(1, registration_id);
  while (ss.step()) a.sessions.push_back(ss.text(0));
  return a;
}

std::string device_name(database& db, std::optional<std::int64_t> id) {
  if (!id) return {};
  auto st = db.cached("SELECT name FROM devices WHERE id = ?1");
  st.bind(1, *id);
  std::string name = st.step() ? st.text(0) : std::string();
  return name;
}

struct presence {
  sys_seconds first_at;
  std::optional<std::int64_t> first_device_id;
  std::int64_t first_checkin_id;
  bool inside;
};

std::optional<presence> find_presence(database& db, std::int64_t registration_id, std::int64_t list_id) {
  auto st = db.cached(
      "SELECT first_at, first_device_id, first_checkin_id, inside FROM attendance "
      "WHERE registration_id = ?1 AND list_id = ?2");
  st.bind_all(registration_id, list_id);
  if (!st.step()) return std::nullopt;
  presence p{parse_utc_text(st.text(0)).value_or(sys_seconds{}), st.optional_int64(1), st.int64(2), st.int64(3) != 0};
  return p;
}

void fill_first(database& db, scan_outcome& out, std::int64_t registration_id, std::int64_t list_id) {
  if (auto p = find_presence(db, registration_id, list_id)) {
    out.first_checked_in_at = p->first_at;
    out.first_device = device_name(db, p->first_device_id);
  }
}

// One row of `checkins`. `at`: the scan's time; `received`: when a scan queued offline arrived.
// An organiser's correction comes from no device (id 0): NULL in the tables.
std::optional<std::int64_t> device_id_of(device const& dev) {
  return dev.id != 0 ? std::optional(dev.id) : std::nullopt;
}

std::int64_t insert_checkin(database& db, scan_request const& req, std::optional<std::int64_t> registration_id,
                            std::string_view type, scan_result result, std::optional<std::string> effect,
                            std::optional<std::int64_t> undoes, sys_seconds at,
                            std::optional<sys_seconds> received = std::nullopt) {
  auto st = db.cached(
      "INSERT INTO checkins (event_id, device_id, registration_id, list_id, type, result, effect, undoes_id, nonce, "
      "at, received_at, admitted_offline) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
  std::optional<std::string> nonce;
  if (!req.nonce.empty()) nonce = req.nonce;
  std::optional<std::string> received_text;
  if (received) received_text = to_utc_text(*received);
  st.bind_all(req.dev.event_id, device_id_of(req.dev), registration_id, req.list_id, type, result, effect, undoes,
              nonce, to_utc_text(at), received_text, req.admitted_offline && received.has_value());
  return inserted_id(st);
}

// Whether an offline admission met someone another device had admitted already.
bool conflicts_with(std::optional<presence> const& here, scan_request const& req) {
  return req.admitted_offline && req.scanned_at && here && here->first_device_id != req.dev.id;
}

// A scan seen before (same device, same nonce): the recorded answer again.
std::optional<scan_outcome> replay(database& db, scan_request const& req) {
  if (req.nonce.empty()) return std::nullopt;
  auto st = db.cached(
      "SELECT id, result, registration_id, list_id, at, admitted_offline FROM checkins WHERE device_id = ?1 AND "
      "nonce = ?2");
  st.bind_all(req.dev.id, req.nonce);
  if (!st.step()) return std::nullopt;
  scan_outcome out;
  out.checkin_id = st.int64(0);
  out.result = scan_result_from_string(st.text(1)).value_or(scan_result::unknown_ticket);
  auto reg = st.optional_int64(2);
  auto list_id = st.int64(3);
  auto at = parse_utc_text(st.text(4));
  bool admitted_offline = st.int64(5) != 0;
  out.replayed = true;
  out.device = req.dev.name;
  if (reg) {
    out.attendee = load_attendee(db, *reg);
    fill_first(db, out, *reg, list_id);
    out.conflict = admitted_offline && out.result == scan_result::already_checked_in &&
                   conflicts_with(find_presence(db, *reg, list_id), req);
  }
  if (out.result == scan_result::ok) out.checked_in_at = at;
  return out;
}

// One scan decided on the writer: who the code belongs to, whether the door may admit them,
// and what their presence becomes. Every decision is recorded as one row of `checkins`.
class scan_decision {
 public:
  scan_decision(database& db, scan_request const& req, sys_seconds now) : db_(db), req_(req), at_(scan_time(req, now)) {
    if (req.scanned_at) received_ = now;
    out_.device = req.dev.name;
  }

  scan_outcome run() {
    auto reg = identify();
    if (!reg) return finish(scan_result::unknown_ticket, std::nullopt);
    if (reg->second != req_.dev.event_id) {
      out_.attendee.reset();  // no names of another event
      return finish(scan_result::wrong_event, std::nullopt);
    }
    auto id = reg->first;
    if (!out_.attendee) out_.attendee = load_attendee(db_, id);
    if (auto refused = refusal_of(out_.attendee->status)) return finish(*refused, id);
    if (req_.list_id != 0 &&
        !db_.exists("SELECT 1 FROM registration_sessions WHERE registration_id = ?1 AND session_id = ?2", id,
                    req_.list_id))
      return finish(scan_result::not_on_list, id);
    auto here = find_presence(db_, id, req_.list_id);
    return req_.type == "exit" ? leave(id, here) : enter(id, here);
  }

 private:
  scan_outcome finish(scan_result result, std::optional<std::int64_t> reg, std::optional<std::string> effect = {}) {
    out_.result = result;
    out_.checkin_id =
        insert_checkin(db_, req_, reg, req_.type, result, std::move(effect), std::nullopt, at_, received_);
    return out_;
  }

  // The registration and its event, by the id the name search gave or by the ticket code.
  std::optional<std::pair<std::int64_t, std::int64_t>> identify() {
    if (req_.known && req_.registration_id) {
      auto st = db_.cached("SELECT event_id, " + std::string(door_status) + " FROM registrations WHERE id = ?1");
      st.bind(1, *req_.registration_id);
      if (!st.step()) return std::nullopt;
      out_.attendee = req_.known;
      out_.attendee->status = door_status_of(st.text(1));
      return std::pair(*req_.registration_id, st.int64(0));
    }
    if (req_.registration_id)
      return db_.query_one<std::pair<std::int64_t, std::int64_t>>(
          "SELECT id, event_id FROM registrations WHERE id = ?1", *req_.registration_id);
    for (auto const& reading : ticket_code_readings(req_.code))
      if (auto found = db_.query_one<std::pair<std::int64_t, std::int64_t>>(
              "SELECT id, event_id FROM registrations WHERE ticket_code = ?1", reading))
        return found;
    return std::nullopt;
  }

  scan_outcome leave(std::int64_t reg, std::optional<presence> const& here) {
    fill_first(db_, out_, reg, req_.list_id);
    if (!here || !here->inside) return finish(scan_result::not_inside, reg);
    finish(scan_result::checked_out, reg, "exited");
    db_.run("UPDATE attendance SET inside = 0 WHERE registration_id = ?1 AND list_id = ?2", reg, req_.list_id);
    return out_;
  }

  scan_outcome enter(std::int64_t reg, std::optional<presence> const& here) {
    if (here && here->inside) {
      fill_first(db_, out_, reg, req_.list_id);
      out_.conflict = conflicts_with(here, req_);
      return finish(scan_result::already_checked_in, reg);
    }
    if (here) {  // back in after an exit
      finish(scan_result::ok, reg, "reentered");
      db_.run("UPDATE attendance SET inside = 1 WHERE registration_id = ?1 AND list_id = ?2", reg, req_.list_id);
      fill_first(db_, out_, reg, req_.list_id);
    } else {  // the first admission is this one
      finish(scan_result::ok, reg, "created");
      db_.run(
          "INSERT INTO attendance (registration_id, list_id, event_id, first_checkin_id, first_at, first_device_id) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          reg, req_.list_id, req_.dev.event_id, out_.checkin_id, to_utc_text(at_), device_id_of(req_.dev));
      out_.first_checked_in_at = at_;
      out_.first_device = req_.dev.name;
    }
    out_.checked_in_at = at_;
    return out_;
  }

  database& db_;
  scan_request const& req_;
  sys_seconds at_;
  std::optional<sys_seconds> received_;
  scan_outcome out_;
};

scan_outcome decide_scan(database& db, scan_request const& req, sys_seconds at) {
  if (auto again = replay(db, req)) return *again;
  return scan_decision(db, req, at).run();
}

}  // namespace

sys_seconds scan_time(scan_request const& req, sys_seconds now) {
  if (!req.scanned_at) return now;
  auto earliest = req.dev.paired_at.value_or(req.dev.created_at);
  return std::clamp(*req.scanned_at, std::min(earliest, now), now);
}

scan_outcome record_scan(database& db, scan_request const& req, sys_seconds at) {
  auto out = decide_scan(db, req, at);
  if (out.result == scan_result::ok && out.attendee && !out.replayed)
    notify_webhooks(db, req.dev.event_id, "checkin.created", out.attendee->registration_id, at);
  // A person picked by registration id (the name search) rather than by their ticket: the
  // answer names them only when the door lets them in or out. Otherwise a device could walk
  // the ids and read the guest list, cancelled people and other lists included.
  bool by_id = req.code.empty() && req.registration_id;
  if (by_id && out.result != scan_result::ok && out.result != scan_result::already_checked_in &&
      out.result != scan_result::checked_out)
    out.attendee.reset();
  return out;
}

void prepare_scan(database& db, scan_request& req) {
  for (auto const& reading : ticket_code_readings(req.code)) {
    if (req.registration_id) break;
    req.registration_id = db.query_one<std::int64_t>("SELECT id FROM registrations WHERE ticket_code = ?1", reading);
  }
  if (req.registration_id) req.known = load_attendee(db, *req.registration_id);
  if (!req.known) req.registration_id.reset();
}

outcome<scan_outcome> undo_scan(database& db, device const& dev, std::int64_t checkin_id, sys_seconds at) {
  auto st = db.cached(
      "SELECT c.registration_id, c.list_id, c.effect FROM checkins c WHERE c.id = ?1 AND c.device_id = ?2 "
      "AND c.effect IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkins u WHERE u.undoes_id = c.id)");
  st.bind_all(checkin_id, dev.id);
  if (!st.step()) return fail(errc::not_found);
  auto reg = st.int64(0);
  auto list_id = st.int64(1);
  auto effect = st.text(2);
  if (effect == "created") {
    auto del =
        db.cached("DELETE FROM attendance WHERE registration_id = ?1 AND list_id = ?2 AND first_checkin_id = ?3");
    del.bind_all(reg, list_id, checkin_id).run();
  } else {
    auto upd = db.cached("UPDATE attendance SET inside = ?3 WHERE registration_id = ?1 AND list_id = ?2");
    upd.bind_all(reg, list_id, effect == "exited").run();
  }
  scan_request r{dev, {}, reg, list_id, "undo", {}, {}, {}, false};
  scan_outcome out;
  out.result = scan_result::undone;
  out.device = dev.name;
  out.attendee = load_attendee(db, reg);
  out.checkin_id = insert_checkin(db, r, reg, "undo", scan_result::undone, std::nullopt, checkin_id, at);
  fill_first(db, out, reg, list_id);
  return out;
}

list_counts count_list(database& db, std::int64_t event_id, std::int64_t list_id) {
  list_counts c;
  auto e = list_id == 0 ? db.cached("SELECT confirmed_count FROM events WHERE id = ?1")
                        : db.cached("SELECT confirmed_count FROM event_sessions WHERE id = ?1");
  e.bind(1, list_id == 0 ? event_id : list_id);
  if (e.step()) c.expected = e.int64(0);
  // Kept by the triggers of schema/005: O(1) however many are in.
  auto a = db.cached("SELECT checked_in, inside FROM stat_lists WHERE event_id = ?1 AND list_id = ?2");
  a.bind_all(event_id, list_id);
  if (a.step()) {
    c.checked_in = a.int64(0);
    c.inside = a.int64(1);
  }
  return c;
}

std::vector<search_hit> search_attendees(database& db, std::int64_t event_id, std::int64_t list_id, std::string_view q,
                                         int limit) {
  auto pattern = like_contains(fold_for_search(q));  // as the keys are stored (checkin/fold.hpp)
  auto st = db.cached("SELECT r.id, r.first_name, r.last_name, r.organisation, r.status, a.first_at, a.inside" +
                      std::string(on_list_from) +
                      "WHERE r.event_id = ?1 AND r.search_key LIKE ?3 ESCAPE '\\' "
                      "ORDER BY r.last_name, r.first_name LIMIT ?4");
  st.bind_all(event_id, list_id, pattern, limit);
  std::vector<search_hit> out;
  while (st.step()) {
    search_hit h;
    h.person = {st.int64(0), st.text(1), st.text(2), st.text(3), door_status_of(st.text(4)), {}};
    if (auto t = st.optional_text(5)) h.checked_in_at = parse_utc_text(*t);
    h.inside = st.int64(6) != 0;
    h.on_list = st.int64(7) != 0;
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<offline_verdict> offline_verdicts(database& db, std::int64_t event_id, std::int64_t list_id) {
  auto st = db.cached("SELECT r.ticket_code, " + std::string(door_status) + ", coalesce(a.inside, 0)" +
                      std::string(on_list_from) + "WHERE r.event_id = ?1 ORDER BY r.id");
  st.bind_all(event_id, list_id);
  std::vector<offline_verdict> out;
  while (st.step()) {
    auto result = refusal_of(door_status_of(st.text(1)));
    if (!result && st.int64(3) == 0) result = scan_result::not_on_list;
    else if (!result && st.int64(2) != 0) result = scan_result::already_checked_in;
    if (result) out.push_back({ticket_code_hash(st.text(0)), *result});
  }
  return out;
}

json::object scan_to_json(scan_outcome const& s, std::string_view zone) {
  auto t = [&](std::optional<sys_seconds> v) { return v ? json::value(to_iso8601(*v, zone)) : json::value(nullptr); };
  json::object o{{"result", to_string(s.result)},
                 {"checkin_id", s.checkin_id},
                 {"checked_in_at", t(s.checked_in_at)},
                 {"first_checked_in_at", t(s.first_checked_in_at)},
                 {"device", s.first_device.empty() ? s.device : s.first_device},
                 {"scanned_by", s.device},
                 {"replayed", s.replayed},
                 {"conflict", s.conflict}};
  if (s.attendee) {
    json::array sessions;
    for (auto const& title : s.attendee->sessions) sessions.emplace_back(title);
    o["attendee"] = json::object{{"id", s.attendee->registration_id},
                                 {"first_name", s.attendee->first_name},
                                 {"last_name", s.attendee->last_name},
                                 {"organisation", s.attendee->organisation},
                                 {"sessions", std::move(sessions)}};
  } else {
    o["attendee"] = nullptr;
  }
  return o;
}

scan_place find_scan_place(database& db, std::int64_t event_id, std::int64_t list_id) {
  auto st = db.cached(
      "SELECT timezone, (SELECT 1 FROM event_sessions WHERE id = ?2 AND event_id = e.id) IS NOT NULL "
      "FROM events e WHERE id = ?1");
  st.bind_all(event_id, list_id);
  if (!st.step()) return {{}, list_id == 0};
  return {st.text(0), list_id == 0 || st.int64(1) != 0};
}

std::optional<scan_result> scan_result_from_string(std::string_view s) noexcept {
  for (std::size_t i = 0; i < scan_results.size(); ++i)
    if (scan_results[i] == s) return static_cast<scan_result>(i);
  return std::nullopt;
}

std::optional<scan_result> refusal_of(reg_status s) noexcept {
  switch (s) {
    case reg_status::confirmed: return std::nullopt;
    case reg_status::waitlisted: return scan_result::waitlisted;
    case reg_status::cancelled: return scan_result::cancelled;
    case reg_status::unconfirmed: return scan_result::unconfirmed;
  }
  return scan_result::cancelled;
}

}  // namespace einlass::checkin
