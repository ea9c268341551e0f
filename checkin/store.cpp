#include "checkin/store.hpp"

#include "checkin/crypto.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

std::optional<std::string> opt_time(std::optional<sys_seconds> t) {
  return t ? std::optional(to_utc_text(*t)) : std::nullopt;
}

std::optional<sys_seconds> read_time(statement const& st, int col) {
  auto s = st.optional_text(col);
  return s ? parse_utc_text(*s) : std::nullopt;
}

constexpr std::string_view event_columns =
    "SELECT id, slug, title, description, starts_at, ends_at, timezone, venue, address, capacity, waitlist, "
    "registration_opens_at, registration_closes_at, status, fields, owner_id, sign_public_key, confirmed_count, "
    "waitlisted_count, cancelled_count, retention_days, personal_data_deleted_at, opt_in_hours, reminder_days, "
    "thank_you, language, texts, (SELECT slug FROM organisations o WHERE o.id = events.organisation_id), mail_texts, "
    "paperwork "
    "FROM events ";

std::optional<event> load(database& db, statement& st) {
  if (!st.step()) return std::nullopt;
  event e;
  e.id = st.int64(0);
  e.slug = st.text(1);
  e.title = st.text(2);
  e.description = st.text(3);
  e.starts_at = parse_utc_text(st.text(4)).value_or(sys_seconds{});
  e.ends_at = parse_utc_text(st.text(5)).value_or(sys_seconds{});
  e.timezone = st.text(6);
  e.venue = st.text(7);
  e.address = st.text(8);
  e.capacity = st.optional_int64(9);
  e.waitlist = st.int64(10) != 0;
  e.registration_opens_at = read_time(st, 11);
  e.registration_closes_at = read_time(st, 12);
  e.status = st.text(13);
  auto fields = json::parse(st.text(14));
  for (auto const& [k, v] : fields.as_object()) {
    auto m = v.as_string();
    e.fields[std::string(k)] = m == "required"   ? field_mode::required
                               : m == "optional" ? field_mode::optional
                                                 : field_mode::off;
  }
  e.owner_id = st.optional_int64(15);
  e.sign_public_key = st.blob(16);
  e.confirmed = st.int64(17);
  e.waitlisted = st.int64(18);
  e.cancelled = st.int64(19);
  e.retention_days = st.optional_int64(20);
  e.personal_data_deleted_at = read_time(st, 21);
  e.opt_in_hours = st.optional_int64(22);
  e.reminder_days = st.optional_int64(23);
  e.thank_you = st.int64(24) != 0;
  e.language = st.text(25);
  e.texts = translations::from_json(st.text(26));
  e.organisation = st.optional_text(27).value_or("");
  e.mail = mail_texts::from_text(st.text(28));
  e.papers = paperwork::from_text(st.text(29));
  st.reset();

  auto ss = db.cached(
      "SELECT id, title, capacity, starts_at, ends_at, confirmed_count, description, texts FROM event_sessions "
      "WHERE event_id = ?1 ORDER BY position");
  ss.bind(1, e.id);
  while (ss.step())
    e.sessions.push_back({ss.int64(0), ss.text(1), ss.text(6), translations::from_json(ss.text(7)),
                          ss.optional_int64(2), read_time(ss, 3), read_time(ss, 4), ss.int64(5)});

  auto qs = db.cached(
      "SELECT key, kind, label, required, options, texts FROM questions WHERE event_id = ?1 ORDER BY position");
  qs.bind(1, e.id);
  while (qs.step()) {
    question q{qs.text(0), qs.text(1), qs.text(2), qs.int64(3) != 0, {}, translations::from_json(qs.text(5))};
    auto options = json::parse(qs.text(4));
    for (auto const& o : options.as_array()) q.options.emplace_back(o.as_string());
    e.questions.push_back(std::move(q));
  }
  return e;
}

// Writes e's sessions: those with an id among `existing` are updated, the rest inserted
// (their ids filled in). Positions follow the order given.
void store_sessions(database& db, event& e, std::vector<std::int64_t> const& existing) {
  auto ins = db.cached(
      "INSERT INTO event_sessions (event_id, position, title, capacity, starts_at, ends_at, description, texts) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  auto up = db.cached(
      "UPDATE event_sessions SET position = ?2, title = ?3, capacity = ?4, starts_at = ?5, ends_at = ?6, "
      "description = ?7, texts = ?8 WHERE id = ?9 AND event_id = ?1");
  int pos = 0;
  for (auto& s : e.sessions) {
    bool known = std::find(existing.begin(), existing.end(), s.id) != existing.end();
    auto& st = known ? up : ins;
    st.bind_all(e.id, ++pos, s.title, s.capacity, opt_time(s.starts_at), opt_time(s.ends_at), s.description,
                s.texts.to_json());
    if (known) st.bind(9, s.id).run();
    else s.id = inserted_id(st);
    st.reset();
  }
}

// Replaces e's questions; a question without a key gets the next unused qN.
void store_questions(database& db, event& e) {
  int next = 0;
  for (auto const& q : e.questions)
    if (!q.key.empty()) next = std::max(next, std::atoi(q.key.c_str() + 1));
  auto del = db.cached("DELETE FROM questions WHERE event_id = ?1");
  del.bind(1, e.id).run();
  auto qi = db.cached(
      "INSERT INTO questions (event_id, position, key, kind, label, required, options, texts) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  int pos = 0;
  for (auto& q : e.questions) {
    if (q.key.empty()) q.key = "q" + std::to_string(++next);
    json::array opts;
    for (auto const& o : q.options) opts.emplace_back(o);
    qi.bind_all(e.id, ++pos, q.key, q.kind, q.label, q.required, json::serialize(opts), q.texts.to_json()).run();
    qi.reset();
  }
}

}  // namespace

outcome<event> create_event(database& db, event e, std::optional<std::int64_t> owner, sys_seconds at) {
  auto exists = db.cached("SELECT 1 FROM events WHERE slug = ?1");
  bool taken = exists.bind(1, e.slug).step();
  if (taken) return fail(errc::slug_taken, "slug", "slug_taken");

  auto key = make_signing_key();
  json::object fields;
  for (auto const& [k, m] : e.fields) fields[k] = to_string(m);
  auto ins = db.cached(
      "INSERT INTO events (slug, title, description, starts_at, ends_at, timezone, venue, address, capacity, waitlist, "
      "registration_opens_at, registration_closes_at, status, fields, owner_id, sign_public_key, sign_secret_key, "
      "created_at, retention_days, opt_in_hours, reminder_days, thank_you, language, texts, organisation_id, "
      "mail_texts, paperwork) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20, ?21, ?22, ?23, ?24, (SELECT id FROM organisations WHERE slug = ?25), ?26, ?27) RETURNING id");
  ins.bind_all(e.slug, e.title, e.description, to_utc_text(e.starts_at), to_utc_text(e.ends_at), e.timezone, e.venue,
               e.address, e.capacity, e.waitlist, opt_time(e.registration_opens_at), opt_time(e.registration_closes_at),
               e.status, json::serialize(fields), owner);
  ins.bind_blob(16, key.public_key.data(), key.public_key.size());
  ins.bind_blob(17, key.secret_key.data(), key.secret_key.size());
  ins.bind(18, to_utc_text(at)).bind(19, e.retention_days).bind(20, e.opt_in_hours).bind(21, e.reminder_days);
  ins.bind(22, e.thank_you).bind(23, e.language).bind(24, e.texts.to_json()).bind(25, e.organisation);
  ins.bind(26, e.mail.to_text()).bind(27, e.papers.to_text());
  e.id = inserted_id(ins);
  e.owner_id = owner;
  e.sign_public_key = key.public_key;

  store_sessions(db, e, {});
  store_questions(db, e);
  return e;
}

namespace {

// The event, its sessions and its questions from one snapshot: a savepoint opens a read
// transaction where there is none, and nests inside the writer's.
template <class Key>
std::optional<event> load_by(database& db, std::string const& where, Key key) {
  savepoint snapshot(db, "load_event");
  std::optional<event> e;
  {
    auto st = db.cached(std::string(event_columns) + where);
    st.bind(1, key);
    e = load(db, st);
  }
  snapshot.release();
  return e;
}

}  // namespace

std::optional<event> find_event(database& db, std::string_view slug) { return load_by(db, "WHERE slug = ?1", slug); }

std::optional<event> find_event(database& db, std::int64_t id) { return load_by(db, "WHERE id = ?1", id); }

std::string event_secret_key(database& db, std::int64_t event_id) {
  auto st = db.cached("SELECT sign_secret_key FROM events WHERE id = ?1");
  st.bind(1, event_id);
  std::string key = st.step() ? st.blob(0) : std::string();
  return key;
}

}  // namespace einlass::checkin

namespace einlass::checkin {

outcome<event> update_event(database& db, event const& current, event next) {
  if (next.slug != current.slug) {
    auto exists = db.cached("SELECT 1 FROM events WHERE slug = ?1");
    bool taken = exists.bind(1, next.slug).step();
    if (taken) return fail(errc::slug_taken, "slug", "slug_taken");
  }
  std::vector<std::int64_t> existing;
  for (auto const& s : current.sessions) existing.push_back(s.id);
  std::set<std::int64_t> kept;
  std::vector<field_error> errors;
  for (std::size_t i = 0; i < next.sessions.size(); ++i) {
    auto id = next.sessions[i].id;
    if (id == 0) continue;
    if (!current.find_session(id) || !kept.insert(id).second)
      errors.push_back({"sessions[" + std::to_string(i) + "].id", "unknown_session"});
  }
  std::set<std::string> keys;
  for (std::size_t i = 0; i < next.questions.size(); ++i)
    if (!next.questions[i].key.empty() && !keys.insert(next.questions[i].key).second)
      errors.push_back({"questions[" + std::to_string(i) + "].key", "invalid_choice"});
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};

  // A session someone holds or waits for cannot go; one with only cancelled people can.
  auto used = db.cached(
      "SELECT 1 FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id "
      "WHERE rs.session_id = ?1 AND r.status <> 'cancelled' LIMIT 1");
  auto drop = db.cached("DELETE FROM event_sessions WHERE id = ?1");
  for (auto const& s : current.sessions) {
    if (kept.count(s.id)) continue;
    bool in_use = used.bind(1, s.id).step();
    used.reset();
    if (in_use) {
      auto f = fail(errc::session_in_use, "sessions", "session_in_use");
      f.detail = s.title;
      return f;
    }
    drop.bind(1, s.id).run();
    drop.reset();
  }

  next.id = current.id;
  next.owner_id = current.owner_id;
  next.sign_public_key = current.sign_public_key;
  json::object fields;
  for (auto const& [k, m] : next.fields) fields[k] = to_string(m);
  auto up = db.cached(
      "UPDATE events SET slug = ?2, title = ?3, description = ?4, starts_at = ?5, ends_at = ?6, timezone = ?7, "
      "venue = ?8, address = ?9, capacity = ?10, waitlist = ?11, registration_opens_at = ?12, "
      "registration_closes_at = ?13, status = ?14, fields = ?15, retention_days = ?16, opt_in_hours = ?17, "
      "reminder_days = ?18, thank_you = ?19, language = ?20, texts = ?21, "
      "organisation_id = (SELECT id FROM organisations WHERE slug = ?22), mail_texts = ?23, paperwork = ?24 WHERE id = "
      "?1");
  up.bind_all(next.id, next.slug, next.title, next.description, to_utc_text(next.starts_at), to_utc_text(next.ends_at),
              next.timezone, next.venue, next.address, next.capacity, next.waitlist,
              opt_time(next.registration_opens_at), opt_time(next.registration_closes_at), next.status,
              json::serialize(fields), next.retention_days, next.opt_in_hours, next.reminder_days, next.thank_you,
              next.language, next.texts.to_json(), next.organisation, next.mail.to_text(), next.papers.to_text())
      .run();
  store_sessions(db, next, existing);
  store_questions(db, next);
  return find_event(db, next.id).value();
}

outcome<event> duplicate_event(database& db, event const& source, std::string slug, std::string title,
                               sys_seconds starts_at, std::int64_t owner, sys_seconds at) {
  auto shift = starts_at - source.starts_at;
  auto moved = [&](std::optional<sys_seconds> t) { return t ? std::optional(*t + shift) : std::nullopt; };
  event copy = source;
  copy.slug = std::move(slug);
  copy.title = std::move(title);
  copy.starts_at = starts_at;
  copy.ends_at = source.ends_at + shift;
  copy.registration_opens_at = moved(source.registration_opens_at);
  copy.registration_closes_at = moved(source.registration_closes_at);
  copy.status = "draft";
  copy.personal_data_deleted_at.reset();
  for (auto& s : copy.sessions) {
    s.id = 0;
    s.starts_at = moved(s.starts_at);
    s.ends_at = moved(s.ends_at);
  }
  auto made = create_event(db, std::move(copy), owner, at);
  if (!made) return made;
  // The signature and the funders' logos come along: the next workshop of the same project.
  db.cached(
        "INSERT INTO event_images (event_id, name, type, bytes) SELECT ?2, name, type, bytes FROM event_images "
        "WHERE event_id = ?1")
      .bind_all(source.id, made->id)
      .run();
  return find_event(db, made->id).value();  // fresh counts: none of the source's people come along
}

std::vector<event_summary> list_events(database& db, user_scope scope) {
  auto st = db.cached(
      "SELECT id, slug, title, starts_at, ends_at, timezone, venue, status, capacity, confirmed_count, "
      "waitlisted_count, cancelled_count, "
      "(SELECT coalesce(sum(n), 0) FROM stat_types t WHERE t.event_id = events.id AND t.came <> 0) "
      "FROM events WHERE ?1 <> 0 OR owner_id = ?2 OR id IN (SELECT event_id FROM event_access WHERE user_id = ?2) "
      "OR organisation_id IN (SELECT organisation_id FROM organisation_members WHERE user_id = ?2) "
      "ORDER BY starts_at DESC");
  st.bind_all(scope.all, scope.user_id);
  std::vector<event_summary> out;
  while (st.step())
    out.push_back({st.int64(0),
                   st.text(1),
                   st.text(2),
                   parse_utc_text(st.text(3)).value(),
                   parse_utc_text(st.text(4)).value(),
                   st.text(5),
                   st.text(6),
                   st.text(7),
                   {},
                   {},
                   st.optional_int64(8),
                   st.int64(9),
                   st.int64(10),
                   st.int64(11),
                   st.int64(12)});
  return out;
}

std::vector<event_summary> upcoming_events(database& db, sys_seconds at, int limit) {
  auto st = db.cached(
      "SELECT slug, title, starts_at, timezone, language, texts FROM events WHERE status = 'published' AND ends_at >= "
      "?1 "
      "ORDER BY starts_at LIMIT ?2");
  st.bind_all(to_utc_text(at), limit);
  std::vector<event_summary> out;
  while (st.step()) {
    event_summary e;
    e.slug = st.text(0);
    e.title = st.text(1);
    e.starts_at = parse_utc_text(st.text(2)).value_or(sys_seconds{});
    e.timezone = st.text(3);
    e.language = st.text(4);
    e.texts = translations::from_json(st.text(5));
    out.push_back(std::move(e));
  }
  return out;
}

bool storage_answers(database& db) {
  try {
    (void)db.exists("SELECT 1 FROM events LIMIT 1");  // reads a page of a real table, not just the header
    return true;
  } catch (db_error const&) {
    return false;
  }
}

}  // namespace einlass::checkin
