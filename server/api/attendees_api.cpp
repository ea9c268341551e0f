// The organiser's attendees: list with filters, one person, changes, and the actions
// (cancel, restore, confirm, anonymise, resend), each with its audit entry.
#include "server/api/api.hpp"

#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/corrections.hpp"
#include "checkin/devices.hpp"
#include "checkin/mail.hpp"
#include "checkin/messages.hpp"
#include "checkin/qr.hpp"
#include "checkin/stats.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

awaitable<response> list_attendees(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  auto filter = filter_from_query(req, lang, e);
  if (!filter) co_return std::move(filter).error();
  auto const& f = *filter;
  json::object out;
  {
    app::reader db(a);
    auto page = checkin::list_attendees(*db, e.id, f);
    std::vector<std::int64_t> ids;
    for (auto const& row : page.rows) ids.push_back(row.reg.id);
    auto mails = mails_of_registrations(*db, ids);
    json::array rows;
    for (auto const& row : page.rows) {
      auto o = attendee_to_json(row, e.timezone);
      json::array list;
      for (auto const& m : mails[row.reg.id]) list.push_back(mail_to_json(m, e.timezone));
      o["mails"] = std::move(list);
      rows.push_back(std::move(o));
    }
    out = {{"total", page.total}, {"limit", f.limit}, {"offset", f.offset}, {"attendees", std::move(rows)}};
  }
  co_return json_response(200, out);
}

awaitable<response> add_attendee(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  json::value const v = std::move(*body);
  auto in = registration_from_json(v);
  if (!in) co_return error_response(lang, in.error());
  // Staff choose: the ticket mail or not (then printed from the ticket page), and a seat past
  // the capacity on purpose (the dashboard then shows the overbooking).
  intake desk{.staff = true};
  std::vector<field_error> errors;
  for (auto [key, flag] : {std::pair{"notify", &desk.mail}, std::pair{"over_capacity", &desk.over_capacity}}) {
    auto const* f = v.as_object().if_contains(key);
    *flag = f && f->is_bool() && f->get_bool();
    if (f && !f->is_bool() && !f->is_null()) errors.push_back({key, "invalid_type"});
  }
  auto more = validate(*in, e, !desk.mail);  // an address only when the ticket goes by mail
  errors.insert(errors.end(), more.begin(), more.end());
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  outcome<registration> added = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    added = register_participant(db, e, *in, at, desk);
    if (added)
      audit(db, who, e.id, "attendee.add",
            {{"registration", added->id}, {"notify", desk.mail}, {"over_capacity", desk.over_capacity}}, at);
  });
  a.stats().registration(added ? std::optional(added->status) : std::nullopt);
  if (!added) co_return error_response(lang, added.error());
  auto out = registration_to_json(*added);
  out["ticket"] = json::object{{"code", added->ticket_code}, {"url", a.link_base() + "/t/" + added->ticket_code}};
  co_return json_response(201, out);
}

awaitable<response> get_attendee(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  std::optional<json::object> data;
  if (id) {
    app::reader db(a);
    data = person_data(*db, e, *id);
  }
  if (!data) co_return error_response(lang, http_error::not_found);
  auto r = json_response(200, *data);
  if (req.query_value("download")) {
    // A copy of someone's personal data leaves the system: that is recorded.
    co_await a.write([&](database& db) { audit(db, who, e.id, "attendee.export", {{"registration", *id}}, now()); });
    r.set("Content-Disposition", attachment("registration-" + std::to_string(*id) + ".json"));
  }
  co_return r;
}

awaitable<response> patch_attendee(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  if (!id) co_return error_response(lang, http_error::not_found);
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  std::optional<registration> current;
  {
    app::reader db(a);
    current = find_registration(*db, e.id, *id);
  }
  if (!current) co_return error_response(lang, http_error::not_found);
  auto merged = registration_to_json(*current);
  json::array changed;
  for (auto const& [k, v] : *body) {
    merged[k] = v;
    changed.emplace_back(k);
  }
  auto in = registration_from_json(merged);
  if (!in) co_return error_response(lang, in.error());
  outcome<registration> updated = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    updated = update_registration(db, e, *id, std::move(*in), at);
    if (!updated) return;
    audit(db, who, e.id, "attendee.update", {{"registration", *id}, {"fields", changed}}, at);
    // Other working groups: the participant hears of it, as when they change them themselves
    // (unless the change moved them up from the waiting list: that mail, with the ticket, is queued).
    auto before = current->sessions, after = updated->sessions;
    std::ranges::sort(before);
    std::ranges::sort(after);
    if (before != after && updated->status == current->status && updated->status != reg_status::cancelled)
      enqueue_mail(db, e.id, *id, "changed", at);
  });
  if (!updated) co_return error_response(lang, updated.error());
  co_return json_response(200, registration_to_json(*updated));
}

namespace {

// admit | unadmit {reason, list}: a check-in corrected by hand (checkin/corrections.hpp).
awaitable<response> correct_attendance(request& req, app& a, event_call& call, std::int64_t id, bool admit) {
  auto& lang = call.lang;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  std::vector<field_error> errors;
  auto reason = text_in(*body, "reason");
  if (reason.empty()) errors.push_back({"reason", "required"});
  else if (auto bad = check_text(reason, max_reason_length, true); !bad.empty()) errors.push_back({"reason", bad});
  std::int64_t list = 0;
  if (auto const* l = body->if_contains("list"); l && !l->is_null()) {
    list = l->is_int64() ? l->get_int64() : -1;
    if (list != 0 && !e.find_session(list)) errors.push_back({"list", "unknown_session"});
  }
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  outcome<scan_outcome> done = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    done = admit ? admit_by_hand(db, e.id, id, list, call.who, reason, at)
                 : unadmit_by_hand(db, e.id, id, list, call.who, reason, at);
    if (done && (done->result == scan_result::ok || done->result == scan_result::undone))
      audit(db, call.who, e.id, admit ? "attendee.admit" : "attendee.unadmit",
            {{"registration", id}, {"list", list}, {"reason", reason}}, at);
  });
  if (!done) co_return error_response(lang, done.error());
  if (admit) a.stats().scan(done->result);
  co_return json_response(200, scan_to_json(*done, e.timezone));
}

}  // namespace

namespace {

bool is_person_action(std::string_view action) {
  return action == "cancel" || action == "restore" || action == "confirm" || action == "anonymise" ||
         action == "resend";
}

// One action on one person, with the participant's mail and the audit entry; for a bulk action
// the same as for one. Inside the writer's transaction.
outcome<status_change> apply_action(database& db, event const& e, user const& who, std::int64_t id,
                                    std::string const& action, sys_seconds at) {
  outcome<status_change> done = fail(errc::not_found);
  // The participant hears of each change an organiser makes, as of their own: the
  // cancellation, the ticket again (or the waiting-list notice) after a restore, the ticket
  // when moved up from the waiting list by hand.
  if (action == "cancel") {
    done = cancel_registration(db, e, id, at);
    if (done && done->changed) enqueue_mail(db, e.id, id, "cancelled", at);
  } else if (action == "restore") {
    done = restore_registration(db, e, id, at);
    if (done && done->changed)
      enqueue_mail(db, e.id, id, standing_mail_kind(done->reg.confirm_by, done->reg.status), at);
  } else if (action == "confirm") {
    done = confirm_waitlisted(db, e, id, at);
    if (done && done->changed) enqueue_mail(db, e.id, id, "promoted", at);
  } else if (action == "resend") {
    // The mail that fits where the registration stands now.
    if (auto r = find_registration(db, e.id, id); r && r->status != reg_status::cancelled && !r->email.empty()) {
      enqueue_mail(db, e.id, id, standing_mail_kind(r->confirm_by, r->status), at);
      done = status_change{std::move(*r), {}, true};
    } else if (r) {
      done = fail(errc::invalid_field, "email", "required");
    }
  } else if (anonymise_registration(db, e.id, id, at)) {
    done = status_change{find_registration(db, e.id, id).value(), {}, true};
  }
  if (!done) return done;
  json::array promoted;
  for (auto p : done->promoted) promoted.emplace_back(p);
  audit(db, who, e.id, "attendee." + action, {{"registration", id}, {"promoted", promoted}}, at);
  return done;
}

// Moves a person from session `from` (any, when absent) to session `to`: seats and times are
// checked as for an edit; they hear of it by mail.
outcome<status_change> move_to_session(database& db, event const& e, user const& who, std::int64_t id,
                                       std::optional<std::int64_t> from, std::int64_t to, sys_seconds at) {
  auto r = find_registration(db, e.id, id);
  if (!r) return fail(errc::not_found);
  auto sessions = r->sessions;
  if (from) std::erase(sessions, *from);
  else sessions.clear();
  if (std::ranges::find(sessions, to) == sessions.end()) sessions.push_back(to);
  std::ranges::sort(sessions);
  auto before = r->sessions;
  std::ranges::sort(before);
  if (sessions == before || (from && std::ranges::find(before, *from) == before.end()))
    return status_change{std::move(*r), {}, false};  // not in `from`, or in `to` already
  auto in = registration_from_json(registration_to_json(*r));
  if (!in) return in.error();
  in->sessions = sessions;
  auto updated = update_registration(db, e, id, std::move(*in), at);
  if (!updated) return updated.error();
  audit(db, who, e.id, "attendee.update", {{"registration", id}, {"fields", json::array{"sessions"}}}, at);
  if (updated->status != reg_status::cancelled) enqueue_mail(db, e.id, id, "changed", at);
  return status_change{std::move(*updated), {}, true};
}

}  // namespace

awaitable<response> attendee_action(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  std::string action(req.param("action"));
  if (id && (action == "admit" || action == "unadmit"))
    co_return co_await correct_attendance(req, a, call, *id, action == "admit");
  if (!id || !is_person_action(action)) co_return error_response(lang, http_error::not_found);
  outcome<status_change> done = fail(errc::not_found);
  co_await a.write([&](database& db) { done = apply_action(db, e, call.who, *id, action, now()); });
  if (!done) co_return error_response(lang, done.error());
  auto out = registration_to_json(done->reg);
  json::array promoted;
  for (auto p : done->promoted) promoted.emplace_back(p);
  out["promoted"] = std::move(promoted);
  co_return json_response(200, out);
}

awaitable<response> bulk_action(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto action = text_in(*body, "action");
  if (!is_person_action(action) && action != "move_session") co_return invalid(lang, "action", "invalid_choice");
  std::optional<std::int64_t> from, to;
  for (auto [key, out] : {std::pair{"from", &from}, std::pair{"to", &to}})
    if (auto const* v = body->if_contains(key); v && !v->is_null()) {
      if (!v->is_int64() || !e.find_session(v->get_int64())) co_return invalid(lang, key, "unknown_session");
      *out = v->get_int64();
    }
  if (action == "move_session" && !to) co_return invalid(lang, "to", "required");
  // Whom: the ids picked by hand, or everyone the list's filter picks (its query string).
  attendee_filter only;
  if (auto const* ids = body->if_contains("ids"); ids && ids->is_array()) {
    for (auto const& id : ids->get_array())
      if (auto n = id.if_int64(); n && only.ids.size() < 5000) only.ids.push_back(*n);
      else co_return invalid(lang, "ids", "invalid_number");
    if (only.ids.empty()) co_return invalid(lang, "ids", "required");
  } else {
    auto f = filter_from_query(req, lang, e);
    if (!f) co_return std::move(f).error();
    only = *f;
  }
  json::array failed, promoted;
  std::int64_t done = 0, unchanged = 0;
  co_await a.write([&](database& db) {
    auto at = now();
    auto people = attendee_ids(db, e.id, only);  // of this event only, whatever ids were sent
    if (people.size() > 5000) people.resize(5000);
    for (auto id : people) {
      // The event as loaded serves every person: seats are read from the counters each time.
      auto r = action == "move_session" ? move_to_session(db, e, call.who, id, from, *to, at)
                                        : apply_action(db, e, call.who, id, action, at);
      if (!r) {
        failed.push_back(json::object{{"id", id},
                                      {"error", to_string(r.error().code)},
                                      {"field", r.error().fields.empty() ? "" : r.error().fields[0].reason}});
        continue;
      }
      ++(r->changed ? done : unchanged);
      for (auto p : r->promoted) promoted.emplace_back(p);
    }
  });
  co_return json_response(
      200,
      json::object{
          {"done", done}, {"unchanged", unchanged}, {"failed", std::move(failed)}, {"promoted", std::move(promoted)}});
}

awaitable<response> send_message(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  json::value const v = std::move(*body);
  auto m = message_from_json(v, e);
  if (!m) co_return error_response(lang, m.error());
  auto flag = [&](std::string_view key) {
    auto const* f = v.as_object().if_contains(key);
    return f && f->is_bool() && f->get_bool();
  };
  bool test = flag("test");
  std::map<std::string, std::int64_t> counts;
  {
    app::reader db(a);
    counts = count_recipients(*db, e.id, m->to);
  }
  std::int64_t total = 0;
  json::object by_language;
  for (auto const& [l, n] : counts) {
    total += n;
    by_language[l] = n;
  }
  // The preview: how many it reaches, in which languages; nothing is stored or sent.
  if (flag("preview")) co_return json_response(200, json::object{{"recipients", total}, {"by_language", by_language}});
  if (!test && total == 0) co_return invalid(lang, "to", "no_recipients");
  std::int64_t id = 0;
  co_await a.write([&](database& db) {
    auto at = now();
    id = queue_message(db, e.id, *m, call.who, test, at);
    audit(db, call.who, e.id, test ? "message.test" : "message.send",
          {{"message", id}, {"recipients", test ? static_cast<std::int64_t>(m->subject.size()) : total}}, at);
  });
  co_return json_response(
      202, json::object{{"id", id}, {"recipients", test ? static_cast<std::int64_t>(m->subject.size()) : total}});
}

awaitable<response> list_messages(request&, app& a, event_call& call) {
  json::array out;
  {
    app::reader db(a);
    for (auto const& m : messages_of_event(*db, call.event.id)) out.push_back(message_to_json(m, call.event.timezone));
  }
  co_return json_response(200, json::object{{"messages", std::move(out)}});
}

// ---- Devices ----

}  // namespace einlass::server
