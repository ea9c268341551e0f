// Door devices: organisers add, list and revoke them; a tablet pairs with a one-time code;
// a paired device scans, undoes, searches by name and registers walk-ins. Nothing else.
#include "checkin/audit.hpp"
#include "checkin/checkins.hpp"
#include "checkin/conflicts.hpp"
#include "checkin/crypto.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/api/api.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

// "event", absent or null: the whole event (0); a session id as number or digits: that session.
std::optional<std::int64_t> read_list(json::object const& o, std::int64_t fallback) {
  auto const* v = o.if_contains("list");
  if (!v || v->is_null()) return fallback;
  if (v->is_string()) {
    auto s = v->get_string();
    if (s == "event") return 0;
    if (auto id = number_of(s); id && *id > 0) return id;
    return std::nullopt;
  }
  if (auto n = v->if_int64(); n && *n >= 0) return *n;
  return std::nullopt;
}

std::string_view text_of(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

response list_error(std::string_view lang) {
  return error_response(lang, failure{errc::invalid_field, {{"list", "unknown_session"}}, {}});
}

json::object device_event_json(event const& e, std::int64_t list_id) {
  json::object list{{"id", list_id == 0 ? json::value("event") : json::value(list_id)}, {"title", e.title}};
  if (auto const* s = e.find_session(list_id)) list["title"] = s->title;
  json::array sessions;
  for (auto const& s : e.sessions) sessions.push_back(json::object{{"id", s.id}, {"title", s.title}});
  return {{"event", json::object{{"slug", e.slug},
                                 {"title", e.title},
                                 {"timezone", e.timezone},
                                 {"starts_at", to_iso8601(e.starts_at, e.timezone)},
                                 {"ticket_public_key", base32_encode(e.sign_public_key)},
                                 {"fields", event_to_json(e, false)["fields"]},
                                 {"sessions", std::move(sessions)}}},
          {"list", std::move(list)}};
}

json::object counts_json(list_counts const& c) {
  return {{"expected", c.expected}, {"checked_in", c.checked_in}, {"inside", c.inside}};
}

}  // namespace

awaitable<response> create_device(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto const* o = &*body;
  auto list = read_list(*o, 0);
  if (!list) co_return list_error(lang);
  outcome<new_device> made = fail(errc::not_found);
  co_await a.write([&](database& db) {
    made = checkin::create_device(db, e.id, std::string(text_of(*o, "name")), *list, now());
    if (made) audit(db, who, e.id, "device.create", {{"device", made->dev.id}, {"name", made->dev.name}}, now());
  });
  if (!made) co_return error_response(lang, made.error());
  auto out = device_to_json(made->dev, e.timezone);
  out["token"] = made->token;
  out["pairing_code"] = made->pairing_code;
  out["pairing_url"] = a.link_base() + "/checkin/pair/" + made->pairing_code;
  out["pairing_qr_svg"] = qr_svg(make_qr(std::string(out["pairing_url"].as_string())));
  co_return json_response(201, out);
}

awaitable<response> list_devices(request&, app& a, event_call& call) {
  auto& e = call.event;
  json::array out;
  {
    app::reader db(a);
    for (auto const& d : event_devices(*db, e.id)) out.push_back(device_to_json(d, e.timezone));
  }
  co_return json_response(200, json::object{{"devices", std::move(out)}});
}

awaitable<response> revoke_device(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id")).value_or(0);  // 0 matches nothing: 404
  bool done = false;
  co_await a.write([&](database& db) {
    done = checkin::revoke_device(db, e.id, id, now());
    if (done) audit(db, who, e.id, "device.revoke", {{"device", id}}, now());
  });
  if (!done) co_return error_response(lang, http_error::not_found);
  app::reader db(a);
  co_return json_response(200, device_to_json(*find_device(*db, id), e.timezone));
}

awaitable<response> pair_device(request& req, app& a) {
  auto lang = pick_language(req);
  if (auto wait = over_rate_limit(a, req, budget::pairing)) co_return rate_limited(lang, *wait);
  auto body = read_json(req, lang);
  if (!body) co_return std::move(body).error();
  auto const* o = body->if_object();
  std::string code(o ? text_of(*o, "code") : "");
  outcome<std::pair<device, std::string>> paired = fail(errc::not_found);
  if (!code.empty() && code.size() < 64)
    co_await a.write([&](database& db) { paired = checkin::pair_device(db, code, now()); });
  if (!paired) co_return error_response(lang, http_error::pairing_invalid);
  auto const& [dev, token] = *paired;
  app::reader db(a);
  auto e = find_event(*db, dev.event_id);
  auto out = device_event_json(*e, dev.list_id);
  out["token"] = token;
  out["device"] = device_to_json(dev, e->timezone);
  co_return json_response(200, out);
}

awaitable<response> device_info(request&, app& a, device_call& call) {
  auto const& dev = call.dev;
  app::reader db(a);
  auto e = find_event(*db, dev.event_id);
  auto out = device_event_json(*e, dev.list_id);
  out["device"] = device_to_json(dev, e->timezone);
  out["counts"] = counts_json(count_list(*db, dev.event_id, dev.list_id));
  co_return json_response(200, out);
}

awaitable<response> device_offline_list(request&, app& a, device_call& call) {
  json::object verdicts;
  auto const at = now();
  {
    auto const& dev = call.dev;
    app::reader db(a);
    for (auto& v : offline_verdicts(*db, dev.event_id, dev.list_id)) verdicts[v.code_hash] = to_string(v.result);
  }
  co_return json_response(200, json::object{{"verdicts", std::move(verdicts)}, {"at", to_iso8601(at, "UTC")}});
}

awaitable<response> checkin_scan(request& req, app& a, device_call& call) {
  auto const& lang = call.lang;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto const* o = &*body;
  scan_request scan;
  scan.dev = call.dev;
  std::vector<field_error> errors;
  auto list = read_list(*o, scan.dev.list_id);
  if (!list) errors.push_back({"list", "unknown_session"});
  else scan.list_id = *list;
  scan.code = std::string(trim(text_of(*o, "code")));
  if (auto const* r = o->if_contains("registration_id"); r && r->is_int64()) scan.registration_id = r->as_int64();
  if (scan.code.empty() && !scan.registration_id) errors.push_back({"code", "required"});
  if (scan.code.size() > 1024) errors.push_back({"code", "too_long"});
  if (auto t = text_of(*o, "type"); !t.empty()) scan.type = std::string(t);
  if (scan.type != "entry" && scan.type != "exit") errors.push_back({"type", "invalid_choice"});
  scan.nonce = std::string(text_of(*o, "nonce"));
  if (scan.nonce.size() > 100) errors.push_back({"nonce", "too_long"});
  // A scan queued offline: the tablet's time of it (ISO 8601 with an offset or Z), and whether
  // the tablet let the person in by itself.
  if (auto const* t = o->if_contains("scanned_at"); t && !t->is_null()) {
    auto at = t->is_string() ? parse_iso8601(t->get_string(), "UTC") : std::nullopt;
    if (at) scan.scanned_at = at;
    else errors.push_back({"scanned_at", "invalid_time"});
  }
  if (auto const* v = o->if_contains("admitted_offline"); v && v->is_bool()) scan.admitted_offline = v->get_bool();
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  // A door set to one session admits to that session only.
  if (scan.dev.list_id != 0 && scan.list_id != scan.dev.list_id) co_return error_response(lang, http_error::wrong_list);

  // Only what this scan needs of the event: its zone, and whether the list is one of its sessions.
  checkin::scan_place place;
  {
    app::reader db(a);
    checkin::savepoint snapshot(*db, "scan");  // one read transaction for both, not one per statement
    place = checkin::find_scan_place(*db, scan.dev.event_id, scan.list_id);
    // In lower case or with Y and Z swapped (a scanner's keyboard layout), the code is found by
    // the reading the database knows: no signature check here (a quarter of a scan's CPU), since
    // only codes the server issued are in it. The door page checks signatures when offline.
    prepare_scan(*db, scan);
  }
  if (!place.list_ok) co_return list_error(lang);
  scan_outcome result;
  bool seen = a.device_seen(scan.dev.id);
  co_await a.write([&](database& db) {
    result = record_scan(db, scan, now());
    if (seen) checkin::mark_device_seen(db, scan.dev.id, now());
  });
  a.stats().scan(result.result);
  co_return json_response(200, scan_to_json(result, place.zone));
}

awaitable<response> checkin_undo(request& req, app& a, device_call& call) {
  auto const& lang = call.lang;
  auto const& dev = call.dev;
  auto id = number_of(req.param("id")).value_or(0);  // 0 matches nothing: 404
  outcome<scan_outcome> undone = fail(errc::not_found);
  co_await a.write([&](database& db) { undone = undo_scan(db, dev, id, now()); });
  if (!undone) co_return error_response(lang, http_error::not_found);
  app::reader db(a);
  auto e = find_event(*db, dev.event_id);
  co_return json_response(200, scan_to_json(*undone, e->timezone));
}

awaitable<response> device_search(request& req, app& a, device_call& call) {
  auto const& lang = call.lang;
  auto const& dev = call.dev;
  std::string q(trim(req.query_value("q").value_or("")));
  if (check_text(q, 2).empty())  // at most 2 characters: never the whole list
    co_return error_response(lang, failure{errc::invalid_field, {{"q", "too_short"}}, {}});
  if (!check_text(q, 100).empty())
    co_return error_response(lang, failure{errc::invalid_field, {{"q", "invalid_text"}}, {}});
  app::reader db(a);
  auto e = find_event(*db, dev.event_id);
  json::array results;
  for (auto const& h : search_attendees(*db, dev.event_id, dev.list_id, q)) {
    results.push_back(
        json::object{{"id", h.person.registration_id},
                     {"first_name", h.person.first_name},
                     {"last_name", h.person.last_name},
                     {"organisation", h.person.organisation},
                     {"status", to_string(h.person.status)},
                     {"on_list", h.on_list},
                     {"inside", h.inside},
                     {"checked_in_at", h.checked_in_at ? json::value(to_iso8601(*h.checked_in_at, e->timezone))
                                                       : json::value(nullptr)}});
  }
  co_return json_response(200, json::object{{"results", std::move(results)}});
}

awaitable<response> device_walkin(request& req, app& a, device_call& call) {
  auto const& lang = call.lang;
  auto const dev = call.dev;
  auto body = read_json(req, lang);
  if (!body) co_return std::move(body).error();
  auto in = registration_from_json(*body);
  if (!in) co_return error_response(lang, in.error());
  std::optional<event> e;
  {
    app::reader db(a);
    e = find_event(*db, dev.event_id);
  }
  if (dev.list_id != 0 && std::find(in->sessions.begin(), in->sessions.end(), dev.list_id) == in->sessions.end())
    in->sessions.push_back(dev.list_id);  // a walk-in at a session's door joins that session
  if (auto errors = validate(*in, *e, true); !errors.empty())
    co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  // A walk-in may come when online registration has closed: the door decides, not the window.
  // At the door a full event has no seat, waiting list or not.
  outcome<registration> reg = fail(errc::not_found);
  scan_outcome scanned;
  co_await a.write([&](database& db) {
    reg = register_participant(db, *e, *in, now(), {.staff = true, .waitlist = false});
    if (reg) scanned = record_scan(db, {dev, {}, reg->id, dev.list_id, "entry", {}, {}, {}, false}, now());
  });
  if (!reg) co_return error_response(lang, reg.error());
  a.stats().registration(checkin::reg_status::confirmed);
  a.stats().scan(scanned.result);
  auto out = scan_to_json(scanned, e->timezone);
  out["ticket"] = json::object{{"code", reg->ticket_code}, {"url", a.link_base() + "/t/" + reg->ticket_code}};
  co_return json_response(201, out);
}

awaitable<response> event_conflicts(request&, app& a, event_call& call) {
  auto const& e = call.event;
  json::array out;
  {
    app::reader db(a);
    for (auto const& c : offline_conflicts(*db, e.id)) out.push_back(conflict_to_json(c, e.timezone));
  }
  co_return json_response(200, json::object{{"conflicts", std::move(out)}});
}

}  // namespace einlass::server
