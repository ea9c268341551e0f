#include "checkin/attendees.hpp"

#include "checkin/fold.hpp"
#include "checkin/mail.hpp"
#include "checkin/text.hpp"
#include "checkin/webhooks.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace einlass::checkin {

namespace json = boost::json;

// The attendee list's filter: ?1 the event, then status, session, organisation type, checked
// in, and a search pattern over the folded names (checkin/fold.hpp) and the address. Each
// optional parameter is typed where first named, or PostgreSQL cannot tell its type.
std::string attendee_filter_where(engine e) {
  return "WHERE r.event_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR r.status = ?2) "
         "AND (CAST(?3 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM registration_sessions s WHERE s.registration_id = "
         "r.id AND s.session_id = ?3)) "
         "AND (CAST(?4 AS TEXT) IS NULL OR r.organisation_type = ?4) "
         "AND (CAST(?5 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM attendance a WHERE a.registration_id = r.id) = (?5 "
         "<> 0)) "
         "AND (?6 = '' OR r.search_key LIKE ?6 ESCAPE '\\' OR r.email_key LIKE ?6 ESCAPE '\\') "
         "AND (CAST(?7 AS TEXT) IS NULL OR r.id IN (" +
         sql::json_ids(e, 7) + ")) AND (CAST(?8 AS BIGINT) IS NULL OR (r.badge_printed_at IS NOT NULL) = (?8 <> 0)) ";
}

void bind_attendee_filter(statement& st, std::int64_t event_id, attendee_filter const& f) {
  auto like = like_contains(fold_for_search(f.q));  // as the keys are stored (checkin/fold.hpp)
  std::optional<std::string> ids;
  if (!f.ids.empty()) {
    json::array a;
    for (auto id : f.ids) a.emplace_back(id);
    ids = json::serialize(a);
  }
  st.bind_all(event_id, f.status, f.session_id, f.organisation_type, f.checked_in, like, ids, f.badge_printed);
}

std::vector<std::int64_t> attendee_ids(database& db, std::int64_t event_id, attendee_filter const& f) {
  auto st = db.cached("SELECT r.id FROM registrations r " + attendee_filter_where(db.engine()) + "ORDER BY r.id");
  bind_attendee_filter(st, event_id, f);
  std::vector<std::int64_t> out;
  while (st.step()) out.push_back(st.int64(0));
  return out;
}

namespace {

// The sort as SQL: a column from a fixed list (never the request's text), then the name, then id.
std::string order_by(attendee_filter const& f) {
  std::string_view dir = f.descending ? " DESC" : "";
  std::string name = "lower(r.last_name)" + std::string(dir) + ", lower(r.first_name)" + std::string(dir);
  std::string first;
  if (f.sort == "organisation") first = "lower(r.organisation)";
  else if (f.sort == "status") first = "r.status";
  else if (f.sort == "registered_at") first = "r.created_at";
  else if (f.sort == "checked_in_at")  // those not admitted last, either way
    first =
        "(SELECT min(first_at) FROM attendance a WHERE a.registration_id = r.id) IS NULL, "
        "(SELECT min(first_at) FROM attendance a WHERE a.registration_id = r.id)";
  return (first.empty() ? "" : first + std::string(dir) + ", ") + name + ", r.id";
}

std::optional<sys_seconds> read_time(statement const& st, int col) {
  auto s = st.optional_text(col);
  return s ? parse_utc_text(*s) : std::nullopt;
}

// Every status change an organiser or the waiting list makes; other systems hear of it.
void set_status(database& db, std::int64_t event_id, std::int64_t id, reg_status status, sys_seconds at) {
  auto st = db.cached("UPDATE registrations SET status = ?2, updated_at = ?3 WHERE id = ?1");
  st.bind_all(id, status, to_utc_text(at)).run();
  notify_webhooks(db, event_id, status == reg_status::cancelled ? "registration.cancelled" : "registration.changed", id,
                  at);
}

bool has_active_twin(database& db, registration const& r) {
  auto st = db.cached(
      "SELECT 1 FROM registrations WHERE event_id = ?1 AND id <> ?2 AND status <> 'cancelled' "
      "AND email_key = (SELECT email_key FROM registrations WHERE id = ?2)");
  bool twin = st.bind_all(r.event_id, r.id).step();
  return twin;
}

}  // namespace

attendee_page list_attendees(database& db, std::int64_t event_id, attendee_filter const& f) {
  attendee_page page;
  auto count = db.cached("SELECT count(*) FROM registrations r " + attendee_filter_where(db.engine()));
  bind_attendee_filter(count, event_id, f);
  page.total = count.step() ? count.int64(0) : 0;

  auto st =
      db.cached("SELECT " + std::string(registration_fields) +
                ", (SELECT min(first_at) FROM attendance a WHERE a.registration_id = r.id), "
                "coalesce((SELECT inside FROM attendance a WHERE a.registration_id = r.id AND a.list_id = 0), 0), "
                "r.anonymised_at IS NOT NULL FROM registrations r " +
                attendee_filter_where(db.engine()) + "ORDER BY " + order_by(f) + " LIMIT ?9 OFFSET ?10");
  bind_attendee_filter(st, event_id, f);
  st.bind(9, std::clamp(f.limit, 1, 1000)).bind(10, std::max(0, f.offset));
  json::array ids;
  std::map<std::int64_t, std::size_t> index;
  while (st.step()) {
    attendee_row a{read_registration(st), read_time(st, 16), st.int64(17) != 0, st.int64(18) != 0};
    ids.emplace_back(a.reg.id);
    index[a.reg.id] = page.rows.size();
    page.rows.push_back(std::move(a));
  }

  auto ss = db.cached(
      "SELECT registration_id, session_id FROM registration_sessions "
      "WHERE registration_id IN (" +
      sql::json_ids(db.engine(), 1) + ") ORDER BY registration_id, session_id");
  ss.bind(1, json::serialize(ids));
  while (ss.step()) page.rows[index[ss.int64(0)]].reg.sessions.push_back(ss.int64(1));
  return page;
}

json::object attendee_to_json(attendee_row const& a, std::string_view zone) {
  auto o = registration_to_json(a.reg);
  o["ticket_code"] = a.anonymised ? json::value(nullptr) : json::value(a.reg.ticket_code);
  o["registered_at"] = to_iso8601(a.reg.created_at, zone);
  o["checked_in_at"] = a.checked_in_at ? json::value(to_iso8601(*a.checked_in_at, zone)) : json::value(nullptr);
  o["inside"] = a.inside;
  o["anonymised"] = a.anonymised;
  return o;
}

std::vector<std::int64_t> promote_waitlisted(database& db, event const& e, sys_seconds at) {
  std::vector<std::int64_t> promoted;
  if (e.waitlisted == 0) {
    auto n = db.cached("SELECT waitlisted_count FROM events WHERE id = ?1");
    bool none = n.bind(1, e.id).step() && n.int64(0) == 0;
    if (none) return promoted;
  }
  std::vector<std::int64_t> waiting;
  auto st =
      db.cached("SELECT id FROM registrations WHERE event_id = ?1 AND status = 'waitlisted' ORDER BY created_at, id");
  st.bind(1, e.id);
  while (st.step()) waiting.push_back(st.int64(0));
  for (auto id : waiting) {
    auto r = find_registration(db, e.id, id);
    if (!r) continue;
    auto problem = seat_problem(db, e, r->sessions);
    if (problem && problem->code == errc::event_full) break;
    if (problem) continue;
    set_status(db, e.id, id, reg_status::confirmed, at);
    enqueue_mail(db, e.id, id, "promoted", at);
    promoted.push_back(id);
  }
  return promoted;
}

outcome<status_change> cancel_registration(database& db, event const& e, std::int64_t id, sys_seconds at) {
  auto r = find_registration(db, e.id, id);
  if (!r) return fail(errc::not_found);
  status_change out;
  if (r->status != reg_status::cancelled) {
    set_status(db, e.id, id, reg_status::cancelled, at);
    r->status = reg_status::cancelled;
    out.promoted = promote_waitlisted(db, e, at);
    out.changed = true;
  }
  out.reg = std::move(*r);
  return out;
}

outcome<status_change> restore_registration(database& db, event const& e, std::int64_t id, sys_seconds at) {
  auto r = find_registration(db, e.id, id);
  if (!r) return fail(errc::not_found);
  bool changed = r->status == reg_status::cancelled;
  if (changed) {
    if (has_active_twin(db, *r)) return fail(errc::already_registered, "email", "already_registered");
    auto status = reg_status::confirmed;
    if (auto problem = seat_problem(db, e, r->sessions)) {
      if (problem->code != errc::event_full || !e.waitlist) return std::move(*problem);
      status = reg_status::waitlisted;
    }
    set_status(db, e.id, id, status, at);
    r->status = status;
  }
  return status_change{std::move(*r), {}, changed};
}

outcome<status_change> confirm_waitlisted(database& db, event const& e, std::int64_t id, sys_seconds at) {
  auto r = find_registration(db, e.id, id);
  if (!r) return fail(errc::not_found);
  bool changed = r->status == reg_status::waitlisted;
  if (changed) {
    if (auto problem = seat_problem(db, e, r->sessions)) return std::move(*problem);
    set_status(db, e.id, id, reg_status::confirmed, at);
    r->status = reg_status::confirmed;
  }
  return status_change{std::move(*r), {}, changed};
}

outcome<registration> update_registration(database& db, event const& e, std::int64_t id, registration_input in,
                                          sys_seconds at) {
  auto r = find_registration(db, e.id, id);
  if (!r) return fail(errc::not_found);
  in.consent = true;  // given at registration; an organiser's edit does not ask again
  if (auto errors = validate(in, e, r->email.empty() && in.email.empty()); !errors.empty())
    return failure{errc::invalid_field, std::move(errors), {}};
  auto key = in.email.empty() ? "walkin:" + std::to_string(id) : email_key(in.email);
  auto dup = db.cached(
      "SELECT 1 FROM registrations WHERE event_id = ?1 AND email_key = ?2 AND id <> ?3 AND status <> 'cancelled'");
  bool taken = dup.bind_all(e.id, key, id).step();
  if (taken && r->status != reg_status::cancelled) return fail(errc::already_registered, "email", "already_registered");

  std::vector<std::int64_t> added;
  for (auto s : in.sessions)
    if (std::find(r->sessions.begin(), r->sessions.end(), s) == r->sessions.end()) added.push_back(s);
  if (r->status == reg_status::confirmed && !added.empty()) {
    // Capacity only of the sessions newly chosen; the event seat is already held.
    event sessions_only = e;
    sessions_only.capacity.reset();
    if (auto problem = seat_problem(db, sessions_only, added)) return std::move(*problem);
  }

  auto up = db.cached(
      "UPDATE registrations SET first_name = ?2, last_name = ?3, email = ?4, email_key = ?5, organisation = ?6, "
      "organisation_type = ?7, position = ?8, phone = ?9, language = ?10, answers = ?11, updated_at = ?12, "
      "search_key = ?13 WHERE id = ?1");
  up.bind_all(id, in.first_name, in.last_name, in.email, key, in.organisation, in.organisation_type, in.position,
              in.phone, in.language, json::serialize(in.answers), to_utc_text(at),
              search_key(in.first_name, in.last_name, in.organisation))
      .run();
  if (in.sessions != r->sessions) {
    auto del = db.cached("DELETE FROM registration_sessions WHERE registration_id = ?1");
    del.bind(1, id).run();
    auto ins = db.cached("INSERT INTO registration_sessions (registration_id, session_id) VALUES (?1, ?2)");
    for (auto s : in.sessions) {
      ins.bind_all(id, s).run();
      ins.reset();
    }
    // A seat left in a session may be what someone on the waiting list needs.
    promote_waitlisted(db, e, at);
  }
  notify_webhooks(db, e.id, "registration.changed", id, at);
  return find_registration(db, e.id, id).value();
}

namespace {

// Keeps status, organisation type, sessions and check-ins; the unique keys get values that
// can never match a real address or ticket.
constexpr std::string_view anonymise_sql =
    "UPDATE registrations SET first_name = '', last_name = '', email = '', email_key = 'deleted:' || id, "
    "organisation = '', position = '', phone = '', answers = '{}', ticket_code = 'deleted:' || id, search_key = '', "
    "anonymised_at = ?3, updated_at = ?3 WHERE event_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR id = ?2) AND "
    "anonymised_at IS NULL";

// A hand correction's reason may speak of the person (checkin/corrections.hpp): it goes too.
constexpr std::string_view anonymise_reasons_sql =
    "UPDATE checkins SET reason = NULL WHERE event_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR registration_id = ?2) "
    "AND reason IS NOT NULL";

// One person (id) or everyone of the event (nullopt); true when a registration changed.
bool anonymise(database& db, std::int64_t event_id, std::optional<std::int64_t> id, sys_seconds at) {
  auto st = db.cached(anonymise_sql);
  st.bind_all(event_id, id, to_utc_text(at)).run();
  bool changed = db.changes() > 0;
  db.cached(anonymise_reasons_sql).bind_all(event_id, id).run();
  // A certificate names the person: its verification ends with their data.
  db.cached("DELETE FROM certificates WHERE event_id = ?1 AND (CAST(?2 AS BIGINT) IS NULL OR registration_id = ?2)")
      .bind_all(event_id, id)
      .run();
  // Queued webhook payloads carry the person's data: they go, sent or not.
  db.cached(
        "DELETE FROM webhook_deliveries WHERE registration_id IN (SELECT id FROM registrations WHERE event_id = ?1 "
        "AND (CAST(?2 AS BIGINT) IS NULL OR id = ?2))")
      .bind_all(event_id, id)
      .run();
  return changed;
}

}  // namespace

void mark_badges_printed(database& db, std::int64_t event_id, std::vector<std::int64_t> const& ids, sys_seconds at) {
  if (ids.empty()) return;
  json::array a;
  for (auto id : ids) a.emplace_back(id);
  db.cached("UPDATE registrations SET badge_printed_at = ?2 WHERE event_id = ?1 AND id IN (" +
            sql::json_ids(db.engine(), 3) + ")")
      .bind_all(event_id, to_utc_text(at), json::serialize(a))
      .run();
}

bool anonymise_registration(database& db, std::int64_t event_id, std::int64_t id, sys_seconds at) {
  return anonymise(db, event_id, id, at);
}

std::vector<std::int64_t> purge_expired_personal_data(database& db, sys_seconds at) {
  std::vector<std::int64_t> due;
  auto st = db.cached(
      "SELECT id, ends_at, retention_days FROM events WHERE retention_days IS NOT NULL AND personal_data_deleted_at IS "
      "NULL");
  while (st.step()) {
    auto ends = parse_utc_text(st.text(1));
    if (ends && *ends + std::chrono::days(st.int64(2)) <= at) due.push_back(st.int64(0));
  }
  for (auto id : due) {
    anonymise(db, id, std::nullopt, at);
    // Feedback keeps its ratings; a comment may speak of people, and the signer's signature is theirs.
    db.cached("UPDATE feedback SET comment = '' WHERE event_id = ?1").bind(1, id).run();
    db.cached("DELETE FROM event_images WHERE event_id = ?1 AND name = 'signature'").bind(1, id).run();
    auto ev = db.cached("UPDATE events SET personal_data_deleted_at = ?2 WHERE id = ?1");
    ev.bind_all(id, to_utc_text(at)).run();
  }
  return due;
}

std::optional<json::object> person_data(database& db, event const& e, std::int64_t id) {
  auto r = find_registration(db, e.id, id);
  if (!r) return std::nullopt;
  auto o = registration_to_json(*r);
  o["event"] = json::object{{"slug", e.slug}, {"title", e.title}};
  o["ticket_code"] = r->ticket_code;
  o["registered_at"] = to_iso8601(r->created_at, e.timezone);
  o["consent_at"] = to_iso8601(r->consent_at, e.timezone);
  json::array titles;
  for (auto s : r->sessions)
    if (auto const* si = e.find_session(s)) titles.emplace_back(si->title);
  o["session_titles"] = std::move(titles);
  json::array scans;
  auto st = db.cached(
      "SELECT c.at, c.type, c.result, c.list_id, coalesce(d.name, '') FROM checkins c "
      "LEFT JOIN devices d ON d.id = c.device_id WHERE c.registration_id = ?1 ORDER BY c.id");
  st.bind(1, id);
  while (st.step())
    scans.push_back(json::object{{"at", to_iso8601(parse_utc_text(st.text(0)).value(), e.timezone)},
                                 {"type", st.text(1)},
                                 {"result", st.text(2)},
                                 {"list", st.int64(3)},
                                 {"device", st.text(4)}});
  o["checkins"] = std::move(scans);
  return o;
}

}  // namespace einlass::checkin
