#include "checkin/store.hpp"

#include "checkin/crypto.hpp"

#include <boost/json.hpp>

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
    "waitlisted_count, cancelled_count FROM events ";

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
    e.fields[std::string(k)] = m == "required" ? field_mode::required
                               : m == "optional" ? field_mode::optional
                                                 : field_mode::off;
  }
  e.owner_id = st.optional_int64(15);
  e.sign_public_key = st.blob(16);
  e.confirmed = st.int64(17);
  e.waitlisted = st.int64(18);
  e.cancelled = st.int64(19);
  st.reset();

  auto& ss = db.cached(
      "SELECT id, title, capacity, starts_at, ends_at, confirmed_count FROM event_sessions "
      "WHERE event_id = ?1 ORDER BY position");
  ss.bind(1, e.id);
  while (ss.step())
    e.sessions.push_back({ss.int64(0), ss.text(1), ss.optional_int64(2), read_time(ss, 3), read_time(ss, 4), ss.int64(5)});
  ss.reset();

  auto& qs = db.cached("SELECT key, kind, label, required, options FROM questions WHERE event_id = ?1 ORDER BY position");
  qs.bind(1, e.id);
  while (qs.step()) {
    question q{qs.text(0), qs.text(1), qs.text(2), qs.int64(3) != 0, {}};
    auto options = json::parse(qs.text(4));
    for (auto const& o : options.as_array()) q.options.emplace_back(o.as_string());
    e.questions.push_back(std::move(q));
  }
  qs.reset();
  return e;
}

}  // namespace

outcome<event> create_event(database& db, event e, std::optional<std::int64_t> owner, sys_seconds at) {
  auto& exists = db.cached("SELECT 1 FROM events WHERE slug = ?1");
  bool taken = exists.bind(1, e.slug).step();
  exists.reset();
  if (taken) return fail(errc::slug_taken, "slug", "slug_taken");

  auto key = make_signing_key();
  json::object fields;
  for (auto const& [k, m] : e.fields) fields[k] = to_string(m);
  auto& ins = db.cached(
      "INSERT INTO events (slug, title, description, starts_at, ends_at, timezone, venue, address, capacity, waitlist, "
      "registration_opens_at, registration_closes_at, status, fields, owner_id, sign_public_key, sign_secret_key, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  ins.bind_all(e.slug, e.title, e.description, to_utc_text(e.starts_at), to_utc_text(e.ends_at), e.timezone, e.venue,
               e.address, e.capacity, e.waitlist, opt_time(e.registration_opens_at),
               opt_time(e.registration_closes_at), e.status, json::serialize(fields), owner);
  ins.bind_blob(16, key.public_key.data(), key.public_key.size());
  ins.bind_blob(17, key.secret_key.data(), key.secret_key.size());
  ins.bind(18, to_utc_text(at));
  ins.run();
  e.id = db.last_insert_rowid();
  e.owner_id = owner;
  e.sign_public_key = key.public_key;

  auto& si = db.cached(
      "INSERT INTO event_sessions (event_id, position, title, capacity, starts_at, ends_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  int pos = 0;
  for (auto& s : e.sessions) {
    si.reset();
    si.bind_all(e.id, ++pos, s.title, s.capacity, opt_time(s.starts_at), opt_time(s.ends_at)).run();
    s.id = db.last_insert_rowid();
  }
  si.reset();

  auto& qi = db.cached(
      "INSERT INTO questions (event_id, position, key, kind, label, required, options) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  pos = 0;
  for (auto const& q : e.questions) {
    json::array opts;
    for (auto const& o : q.options) opts.emplace_back(o);
    qi.reset();
    qi.bind_all(e.id, ++pos, q.key, q.kind, q.label, q.required, json::serialize(opts)).run();
  }
  qi.reset();
  return e;
}

namespace {

// The event, its sessions and its questions from one snapshot: a savepoint opens a read
// transaction where there is none, and nests inside the writer's.
template <class Key>
std::optional<event> load_by(database& db, std::string const& where, Key key) {
  db.cached("SAVEPOINT load_event").run();
  try {
    auto& st = db.cached(std::string(event_columns) + where);
    st.bind(1, key);
    auto e = load(db, st);
    db.cached("RELEASE load_event").run();
    return e;
  } catch (...) {
    db.exec("ROLLBACK TO load_event; RELEASE load_event");
    throw;
  }
}

}  // namespace

std::optional<event> find_event(database& db, std::string_view slug) { return load_by(db, "WHERE slug = ?1", slug); }

std::optional<event> find_event(database& db, std::int64_t id) { return load_by(db, "WHERE id = ?1", id); }

std::string event_secret_key(database& db, std::int64_t event_id) {
  auto& st = db.cached("SELECT sign_secret_key FROM events WHERE id = ?1");
  st.bind(1, event_id);
  std::string key = st.step() ? st.blob(0) : std::string();
  st.reset();
  return key;
}

}  // namespace einlass::checkin
