#include "checkin/users.hpp"

#include "checkin/crypto.hpp"
#include "checkin/text.hpp"

namespace einlass::checkin {

user upsert_user(database& db, std::string_view email, std::string_view role, std::string_view password) {
  auto key = email_key(email);
  auto& st = db.cached(
      "INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(email) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash");
  st.bind_all(key, role, password_hash(password), to_utc_text(now())).run();
  st.reset();
  return find_user(db, key).value();
}

std::optional<user> find_user(database& db, std::string_view email) {
  auto& st = db.cached("SELECT id, email, role FROM users WHERE email = ?1");
  st.bind(1, email_key(email));
  if (!st.step()) return std::nullopt;
  user u{st.int64(0), st.text(1), st.text(2)};
  st.reset();
  return u;
}

std::string create_api_token(database& db, std::int64_t user_id) {
  auto token = "ein_" + random_token(32);
  auto hash = token_hash(token);
  auto& st = db.cached("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)");
  st.bind(1, user_id).bind_blob(2, hash.data(), hash.size()).bind(3, to_utc_text(now())).run();
  st.reset();
  return token;
}

std::optional<user> user_by_token(database& db, std::string_view token) {
  auto hash = token_hash(token);
  auto& st = db.cached(
      "SELECT u.id, u.email, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id "
      "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL");
  st.bind_blob(1, hash.data(), hash.size());
  if (!st.step()) return std::nullopt;
  user u{st.int64(0), st.text(1), st.text(2)};
  st.reset();
  return u;
}

bool can_manage(database& db, user const& u, event const& e) {
  if (u.is_admin() || (e.owner_id && *e.owner_id == u.id)) return true;
  auto& st = db.cached("SELECT 1 FROM event_access WHERE event_id = ?1 AND user_id = ?2");
  bool ok = st.bind_all(e.id, u.id).step();
  st.reset();
  return ok;
}

}  // namespace einlass::checkin
