#include "checkin/devices.hpp"

#include "checkin/crypto.hpp"
#include "checkin/text.hpp"

namespace einlass::checkin {

namespace {

constexpr std::string_view device_columns =
    "SELECT id, event_id, name, list_id, paired_at, revoked_at, last_seen_at, created_at FROM devices ";

std::optional<sys_seconds> time_at(statement const& st, int col) {
  auto s = st.optional_text(col);
  return s ? parse_utc_text(*s) : std::nullopt;
}

device read_device(statement const& st) {
  return {st.int64(0),    st.int64(1),    st.text(2),     st.int64(3),
          time_at(st, 4), time_at(st, 5), time_at(st, 6), time_at(st, 7).value_or(sys_seconds{})};
}

void add_token(database& db, std::int64_t device_id, std::string const& token, sys_seconds at) {
  auto hash = token_hash(token);
  auto st = db.cached("INSERT INTO device_tokens (token_hash, device_id, created_at) VALUES (?1, ?2, ?3)");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, device_id).bind(3, to_utc_text(at)).run();
}

void check_name(std::string& name, std::vector<field_error>& errors) {
  name = std::string(trim(name));
  if (name.empty()) errors.push_back({"name", "required"});
  else if (auto r = check_text(name, 100); !r.empty()) errors.push_back({"name", r});
}

std::string set_pairing_code(database& db, std::int64_t device_id, sys_seconds at) {
  auto code = random_token(10);  // 16 characters, 80 bits
  auto hash = token_hash(code);
  auto st = db.cached("UPDATE devices SET pairing_code_hash = ?2, pairing_expires_at = ?3 WHERE id = ?1");
  st.bind(1, device_id).bind_blob(2, hash.data(), hash.size()).bind(3, to_utc_text(at + pairing_validity)).run();
  return code;
}

}  // namespace

outcome<new_device> create_device(database& db, std::int64_t event_id, std::string name, std::int64_t list_id,
                                  sys_seconds at) {
  std::vector<field_error> errors;
  check_name(name, errors);
  if (list_id != 0) {
    auto st = db.cached("SELECT 1 FROM event_sessions WHERE id = ?1 AND event_id = ?2");
    bool known = st.bind_all(list_id, event_id).step();
    if (!known) errors.push_back({"list", "unknown_session"});
  }
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};

  new_device out;
  auto ins =
      db.cached("INSERT INTO devices (event_id, name, list_id, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id");
  ins.bind_all(event_id, name, list_id, to_utc_text(at));
  out.dev = {inserted_id(ins), event_id, name, list_id, std::nullopt, std::nullopt, std::nullopt, at};
  out.pairing_code = set_pairing_code(db, out.dev.id, at);
  out.token = "dev_" + random_token(32);
  add_token(db, out.dev.id, out.token, at);
  return out;
}

outcome<std::pair<device, std::string>> pair_device(database& db, std::string_view code, sys_seconds at) {
  auto hash = token_hash(code);
  auto st = db.cached(std::string(device_columns) +
                      "WHERE pairing_code_hash = ?1 AND revoked_at IS NULL AND pairing_expires_at > ?2");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, to_utc_text(at));
  if (!st.step()) return fail(errc::not_found);
  auto d = read_device(st);
  auto used = db.cached("UPDATE devices SET pairing_code_hash = NULL, paired_at = ?2 WHERE id = ?1");
  used.bind_all(d.id, to_utc_text(at)).run();
  d.paired_at = at;
  auto token = "dev_" + random_token(32);
  add_token(db, d.id, token, at);
  return std::pair{d, token};
}

std::optional<device> device_by_token(database& db, std::string_view token) {
  auto hash = token_hash(token);
  auto st = db.cached(
      "SELECT d.id, d.event_id, d.name, d.list_id, d.paired_at, d.revoked_at, d.last_seen_at, d.created_at "
      "FROM device_tokens t JOIN devices d ON d.id = t.device_id WHERE t.token_hash = ?1 AND d.revoked_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size());
  if (!st.step()) return std::nullopt;
  auto d = read_device(st);
  return d;
}

bool is_device_token(database& db, std::string_view token) {
  auto hash = token_hash(token);
  auto st = db.cached("SELECT 1 FROM device_tokens WHERE token_hash = ?1");
  bool found = st.bind_blob(1, hash.data(), hash.size()).step();
  return found;
}

std::vector<device> event_devices(database& db, std::int64_t event_id) {
  auto st = db.cached(std::string(device_columns) + "WHERE event_id = ?1 ORDER BY id");
  st.bind(1, event_id);
  std::vector<device> out;
  while (st.step()) out.push_back(read_device(st));
  return out;
}

std::optional<device> find_device(database& db, std::int64_t id) {
  auto st = db.cached(std::string(device_columns) + "WHERE id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  auto d = read_device(st);
  return d;
}

bool revoke_device(database& db, std::int64_t event_id, std::int64_t device_id, sys_seconds at) {
  auto st = db.cached(
      "UPDATE devices SET revoked_at = coalesce(revoked_at, ?3), pairing_code_hash = NULL "
      "WHERE id = ?1 AND event_id = ?2");
  st.bind_all(device_id, event_id, to_utc_text(at)).run();
  return db.changes() > 0;
}

boost::json::object device_to_json(device const& d, std::string_view zone) {
  auto t = [&](std::optional<sys_seconds> v) {
    return v ? boost::json::value(to_iso8601(*v, zone)) : boost::json::value(nullptr);
  };
  return {{"id", d.id},
          {"name", d.name},
          {"list", d.list_id == 0 ? boost::json::value("event") : boost::json::value(d.list_id)},
          {"created_at", to_iso8601(d.created_at, zone)},
          {"paired_at", t(d.paired_at)},
          {"revoked_at", t(d.revoked_at)},
          {"last_seen_at", t(d.last_seen_at)}};
}

}  // namespace einlass::checkin

namespace einlass::checkin {

outcome<device> rename_device(database& db, std::int64_t event_id, std::int64_t device_id, std::string name) {
  std::vector<field_error> errors;
  check_name(name, errors);
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  auto st = db.cached("UPDATE devices SET name = ?3 WHERE id = ?1 AND event_id = ?2");
  st.bind_all(device_id, event_id, name).run();
  if (db.changes() == 0) return fail(errc::not_found);
  return find_device(db, device_id).value();
}

outcome<std::string> renew_pairing(database& db, std::int64_t event_id, std::int64_t device_id, sys_seconds at) {
  auto d = find_device(db, device_id);
  if (!d || d->event_id != event_id || d->revoked_at) return fail(errc::not_found);
  // A new pairing is for a new or reset tablet: every token handed out before stops now,
  // a lost tablet's too.
  auto st = db.cached("DELETE FROM device_tokens WHERE device_id = ?1");
  st.bind(1, device_id).run();
  return set_pairing_code(db, device_id, at);
}

void mark_device_seen(database& db, std::int64_t device_id, sys_seconds at) {
  db.run("UPDATE devices SET last_seen_at = ?2 WHERE id = ?1", device_id, to_utc_text(at));
}

bool admitted_by_device(database& db, std::int64_t device_id, std::int64_t registration_id) {
  auto st = db.cached(
      "SELECT 1 FROM checkins WHERE device_id = ?1 AND registration_id = ?2 AND type = 'entry' AND result = 'ok' "
      "LIMIT 1");
  st.bind_all(device_id, registration_id);
  return st.step();
}

}  // namespace einlass::checkin
