#include "checkin/users.hpp"

#include "checkin/crypto.hpp"
#include "checkin/text.hpp"

namespace einlass::checkin {

user upsert_user(database& db, std::string_view email, std::string_view role, std::string_view password) {
  return upsert_user_hashed(db, email, role, password_hash(password));
}

user upsert_user_hashed(database& db, std::string_view email, std::string_view role, std::string_view hash) {
  auto key = email_key(email);
  auto st = db.cached(
      "INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(email) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash");
  st.bind_all(key, role, hash, to_utc_text(now())).run();
  return find_user(db, key).value();
}

std::optional<user> find_user(database& db, std::string_view email) {
  auto st = db.cached("SELECT id, email, role FROM users WHERE email = ?1");
  st.bind(1, email_key(email));
  if (!st.step()) return std::nullopt;
  user u{st.int64(0), st.text(1), st.text(2)};
  return u;
}

std::string create_api_token(database& db, std::int64_t user_id) { return create_api_token(db, user_id, "").token; }

std::optional<user> user_by_token(database& db, std::string_view token) {
  auto hash = token_hash(token);
  auto st = db.cached(
      "SELECT u.id, u.email, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id "
      "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size());
  if (!st.step()) return std::nullopt;
  user u{st.int64(0), st.text(1), st.text(2)};
  return u;
}

bool can_manage(database& db, user const& u, event const& e) {
  if (u.is_admin() || (e.owner_id && *e.owner_id == u.id)) return true;
  return db.exists(
      "SELECT 1 FROM event_access WHERE event_id = ?1 AND user_id = ?2 UNION ALL "
      "SELECT 1 FROM events e JOIN organisation_members m ON m.organisation_id = e.organisation_id "
      "WHERE e.id = ?1 AND m.user_id = ?2",
      e.id, u.id);
}

}  // namespace einlass::checkin

namespace einlass::checkin {

namespace {
// A valid hash of no one's password: checking against it costs what a real check costs.
std::string const& decoy_hash() {
  static std::string const h = password_hash(random_token(16));
  return h;
}
}  // namespace

void grant_event(database& db, std::int64_t event_id, std::int64_t user_id) {
  auto st = db.cached("INSERT INTO event_access (event_id, user_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  st.bind_all(event_id, user_id).run();
}

std::optional<user> check_password(database& db, std::string_view email, std::string_view password) {
  auto st = db.cached("SELECT id, email, role, password_hash FROM users WHERE email = ?1 AND disabled_at IS NULL");
  st.bind(1, email_key(email));
  std::optional<user> u;
  std::string hash = decoy_hash();
  if (st.step()) {
    u = user{st.int64(0), st.text(1), st.text(2)};
    hash = st.text(3);
  }
  bool ok = password_verify(hash, password);
  return ok && u ? u : std::nullopt;
}

login_session create_login_session(database& db, user const& u, sys_seconds at, std::string_view user_agent,
                                   std::string_view address) {
  login_session s{u, random_token(32), random_token(20), at + login_validity};
  auto hash = token_hash(s.token);
  auto st = db.cached(
      "INSERT INTO login_sessions (token_hash, user_id, csrf, created_at, expires_at, user_agent, address) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, u.id).bind(3, s.csrf).bind(4, to_utc_text(at));
  st.bind(5, to_utc_text(s.expires_at)).bind(6, user_agent.substr(0, 300)).bind(7, address.substr(0, 64)).run();
  return s;
}

std::optional<login_session> find_login_session(database& db, std::string_view token, sys_seconds at) {
  auto hash = token_hash(token);
  auto st = db.cached(
      "SELECT u.id, u.email, u.role, s.csrf, s.expires_at FROM login_sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, to_utc_text(at));
  if (!st.step()) return std::nullopt;
  login_session s{user{st.int64(0), st.text(1), st.text(2)}, {}, st.text(3), parse_utc_text(st.text(4)).value()};
  return s;
}

void end_login_session(database& db, std::string_view token) {
  auto hash = token_hash(token);
  auto st = db.cached("DELETE FROM login_sessions WHERE token_hash = ?1");
  st.bind_blob(1, hash.data(), hash.size()).run();
}

outcome<std::string> create_invitation(database& db, std::string_view email, std::string_view role,
                                       std::int64_t invited_by, sys_seconds at) {
  if (find_user(db, email)) return fail(errc::account_exists, "email", "account_exists");
  auto code = random_token(20);
  auto hash = token_hash(code);
  auto st = db.cached(
      "INSERT INTO invitations (code_hash, email, role, invited_by, created_at, expires_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, email_key(email)).bind(3, role).bind(4, invited_by);
  st.bind(5, to_utc_text(at)).bind(6, to_utc_text(at + invitation_validity)).run();
  return code;
}

std::optional<invitation> find_invitation(database& db, std::string_view code, sys_seconds at) {
  auto hash = token_hash(code);
  auto st =
      db.cached("SELECT email, role FROM invitations WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, to_utc_text(at));
  std::optional<invitation> inv;
  if (st.step()) inv = invitation{st.text(0), st.text(1)};
  return inv;
}

namespace {

// Spends a one-time code of `table` (invitations, password_resets): kept by its hash only.
void spend_code(database& db, std::string_view table, std::string_view code, sys_seconds at) {
  auto hash = token_hash(code);
  auto st = db.cached("UPDATE " + std::string(table) + " SET used_at = ?2 WHERE code_hash = ?1");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, to_utc_text(at)).run();
}

}  // namespace

outcome<user> accept_invitation(database& db, std::string_view code, std::string_view password_hash, sys_seconds at) {
  auto inv = find_invitation(db, code, at);
  if (!inv) return fail(errc::not_found);
  spend_code(db, "invitations", code, at);
  if (find_user(db, inv->email)) return fail(errc::account_exists, "email", "account_exists");
  auto ins = db.cached("INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)");
  ins.bind_all(inv->email, inv->role, password_hash, to_utc_text(at)).run();
  return find_user(db, inv->email).value();
}

namespace {

constexpr std::string_view account_columns = "SELECT id, email, role, created_at, disabled_at FROM users ";

account_row read_account(statement const& st) {
  auto disabled = st.optional_text(4);
  return {user{st.int64(0), st.text(1), st.text(2)}, parse_utc_text(st.text(3)).value(),
          disabled ? parse_utc_text(*disabled) : std::nullopt};
}

}  // namespace

std::vector<account_row> list_users(database& db) {
  std::vector<account_row> out;
  auto st = db.cached(std::string(account_columns) + "ORDER BY email");
  while (st.step()) out.push_back(read_account(st));
  return out;
}

std::optional<account_row> find_account(database& db, std::int64_t user_id) {
  auto st = db.cached(std::string(account_columns) + "WHERE id = ?1");
  st.bind(1, user_id);
  std::optional<account_row> row;
  if (st.step()) row = read_account(st);
  return row;
}

outcome<account_row> change_account(database& db, std::int64_t user_id, account_change const& change, sys_seconds at) {
  if (change.role && *change.role != "organiser" && *change.role != "admin")
    return fail(errc::invalid_field, "role", "invalid_choice");
  auto found = find_account(db, user_id);
  if (!found) return fail(errc::not_found);
  auto row = std::move(*found);
  bool was_admin = row.who.is_admin() && !row.disabled_at;
  bool stays_admin =
      change.role.value_or(row.who.role) == "admin" && !change.disabled.value_or(row.disabled_at.has_value());
  if (was_admin && !stays_admin) {
    auto admins = db.cached("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?1");
    bool others = admins.bind(1, user_id).step() && admins.int64(0) > 0;
    if (!others) return fail(errc::last_admin);
  }
  if (change.role) {
    auto up = db.cached("UPDATE users SET role = ?2 WHERE id = ?1");
    up.bind_all(user_id, *change.role).run();
    row.who.role = *change.role;
  }
  if (change.disabled && *change.disabled && !row.disabled_at) {
    auto off = db.cached("UPDATE users SET disabled_at = ?2 WHERE id = ?1");
    off.bind_all(user_id, to_utc_text(at)).run();
    auto sessions = db.cached("DELETE FROM login_sessions WHERE user_id = ?1");
    sessions.bind(1, user_id).run();
    auto tokens = db.cached("UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL");
    tokens.bind_all(user_id, to_utc_text(at)).run();
    row.disabled_at = at;
  } else if (change.disabled && !*change.disabled && row.disabled_at) {
    auto on = db.cached("UPDATE users SET disabled_at = NULL WHERE id = ?1");
    on.bind(1, user_id).run();
    row.disabled_at.reset();
  }
  return row;
}

std::vector<event_organiser> event_organisers(database& db, event const& e) {
  auto st = db.cached(
      "SELECT u.id, u.email, u.id = ?2 FROM users u WHERE u.id = ?2 "
      "OR u.id IN (SELECT user_id FROM event_access WHERE event_id = ?1) ORDER BY u.id = ?2 DESC, u.email");
  st.bind_all(e.id, e.owner_id.value_or(0));
  std::vector<event_organiser> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1), st.int64(2) != 0});
  return out;
}

bool revoke_event_access(database& db, std::int64_t event_id, std::int64_t user_id) {
  auto st = db.cached("DELETE FROM event_access WHERE event_id = ?1 AND user_id = ?2");
  st.bind_all(event_id, user_id).run();
  return db.changes() > 0;
}

issued_token create_api_token(database& db, std::int64_t user_id, std::string_view label) {
  issued_token out{0, "ein_" + random_token(32)};
  auto hash = token_hash(out.token);
  auto st =
      db.cached("INSERT INTO api_tokens (user_id, token_hash, created_at, label) VALUES (?1, ?2, ?3, ?4) RETURNING id");
  st.bind(1, user_id).bind_blob(2, hash.data(), hash.size()).bind(3, to_utc_text(now())).bind(4, label);
  out.id = inserted_id(st);
  return out;
}

std::vector<token_row> list_api_tokens(database& db, std::int64_t user_id) {
  std::vector<token_row> out;
  auto st =
      db.cached("SELECT id, label, created_at FROM api_tokens WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY id");
  st.bind(1, user_id);
  while (st.step()) out.push_back({st.int64(0), st.text(1), parse_utc_text(st.text(2)).value()});
  return out;
}

bool revoke_api_token(database& db, std::int64_t user_id, std::int64_t token_id, sys_seconds at) {
  auto st = db.cached("UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_at IS NULL");
  st.bind_all(token_id, user_id, to_utc_text(at)).run();
  return db.changes() > 0;
}

std::string check_new_password(std::string_view password) {
  if (auto why = check_text(password, 200); !why.empty()) return why;
  std::size_t chars = 0;
  for (char c : password) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return chars < 10 ? "password_too_short" : "";
}

}  // namespace einlass::checkin

namespace einlass::checkin {

namespace {
std::string session_id_sql(database const& db) { return sql::hex(db.engine(), "substr(token_hash, 1, 8)"); }
}  // namespace

std::string login_session_id(std::string_view token) {
  static constexpr char digits[] = "0123456789abcdef";
  auto hash = token_hash(token);
  std::string out;
  for (std::size_t i = 0; i < 8 && i < hash.size(); ++i) {
    auto b = static_cast<unsigned char>(hash[i]);
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::vector<login_row> list_login_sessions(database& db, std::int64_t user_id, sys_seconds at) {
  auto st = db.cached("SELECT " + session_id_sql(db) +
                      ", created_at, expires_at, user_agent, address FROM login_sessions "
                      "WHERE user_id = ?1 AND expires_at > ?2 ORDER BY created_at DESC");
  st.bind_all(user_id, to_utc_text(at));
  std::vector<login_row> out;
  while (st.step())
    out.push_back(
        {st.text(0), parse_utc_text(st.text(1)).value(), parse_utc_text(st.text(2)).value(), st.text(3), st.text(4)});
  return out;
}

bool end_login_session_by_id(database& db, std::int64_t user_id, std::string_view id) {
  auto st = db.cached("DELETE FROM login_sessions WHERE user_id = ?1 AND " + session_id_sql(db) + " = ?2");
  st.bind_all(user_id, id).run();
  return db.changes() > 0;
}

void forget_expired_logins(database& db, sys_seconds at) {
  for (auto const* sql :
       {"DELETE FROM login_sessions WHERE expires_at < ?1", "DELETE FROM password_resets WHERE expires_at < ?1"}) {
    auto st = db.cached(sql);
    st.bind(1, to_utc_text(at)).run();
  }
}

std::optional<user> find_enabled_user(database& db, std::string_view email) {
  auto st = db.cached("SELECT id, email, role FROM users WHERE email = ?1 AND disabled_at IS NULL");
  st.bind(1, email_key(email));
  std::optional<user> u;
  if (st.step()) u = user{st.int64(0), st.text(1), st.text(2)};
  return u;
}

std::string create_password_reset(database& db, std::int64_t user_id, sys_seconds at) {
  auto old = db.cached("UPDATE password_resets SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL");
  old.bind_all(user_id, to_utc_text(at)).run();
  auto code = random_token(20);
  auto hash = token_hash(code);
  auto st =
      db.cached("INSERT INTO password_resets (code_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, user_id).bind(3, to_utc_text(at));
  st.bind(4, to_utc_text(at + password_reset_validity)).run();
  return code;
}

std::optional<user> find_password_reset(database& db, std::string_view code, sys_seconds at) {
  auto hash = token_hash(code);
  auto st = db.cached(
      "SELECT u.id, u.email, u.role FROM password_resets p JOIN users u ON u.id = p.user_id "
      "WHERE p.code_hash = ?1 AND p.used_at IS NULL AND p.expires_at > ?2 AND u.disabled_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size()).bind(2, to_utc_text(at));
  std::optional<user> u;
  if (st.step()) u = user{st.int64(0), st.text(1), st.text(2)};
  return u;
}

outcome<user> use_password_reset(database& db, std::string_view code, std::string_view password_hash, sys_seconds at) {
  auto u = find_password_reset(db, code, at);
  if (!u) return fail(errc::not_found);
  spend_code(db, "password_resets", code, at);
  auto pw = db.cached("UPDATE users SET password_hash = ?2 WHERE id = ?1");
  pw.bind_all(u->id, password_hash).run();
  auto sessions = db.cached("DELETE FROM login_sessions WHERE user_id = ?1");
  sessions.bind(1, u->id).run();
  return *u;
}

}  // namespace einlass::checkin
