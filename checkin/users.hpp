#pragma once
// Organisers and admins, their passwords and API tokens.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/event.hpp"
#include "checkin/time.hpp"

#include <chrono>
#include <vector>

#include <optional>
#include <string>

namespace einlass::checkin {

struct user {
  std::int64_t id = 0;
  std::string email;
  std::string role;  // organiser | admin
  [[nodiscard]] bool is_admin() const { return role == "admin"; }
};

// Creates the user, or sets the role and password of an existing one.
user upsert_user(database& db, std::string_view email, std::string_view role, std::string_view password);
// The same with the password already hashed (password_hash(), which takes a tenth of a
// second: callers on the writer hash it beforehand).
user upsert_user_hashed(database& db, std::string_view email, std::string_view role, std::string_view hash);
[[nodiscard]] std::optional<user> find_user(database& db, std::string_view email);
// A new API token for the user; only its hash is stored.
[[nodiscard]] std::string create_api_token(database& db, std::int64_t user_id);
[[nodiscard]] std::optional<user> user_by_token(database& db, std::string_view token);
// An organiser sees and changes the events they created or were given and those of their
// organisations; an admin, all.
[[nodiscard]] bool can_manage(database& db, user const& u, event const& e);
// Gives an organiser access to an event they did not create.
void grant_event(database& db, std::int64_t event_id, std::int64_t user_id);

// The user whose e-mail and password match, or nothing; takes Argon2id's time either way,
// so a wrong address cannot be told from a wrong password by timing.
[[nodiscard]] std::optional<user> check_password(database& db, std::string_view email, std::string_view password);

// A browser login: the cookie's token (kept only as a hash) and the CSRF token.
struct login_session {
  user who;
  std::string token;  // empty when read back
  std::string csrf;
  sys_seconds expires_at{};
};
inline constexpr std::chrono::hours login_validity{12};
// `user_agent` and `address` say where the login was made (shown on the account page).
[[nodiscard]] login_session create_login_session(database& db, user const& u, sys_seconds at,
                                                 std::string_view user_agent = {}, std::string_view address = {});
[[nodiscard]] std::optional<login_session> find_login_session(database& db, std::string_view token, sys_seconds at);
void end_login_session(database& db, std::string_view token);

// The logins of one account, for its account page. `id` names a login without being its
// token (the start of the token's hash, in hex).
struct login_row {
  std::string id;
  sys_seconds created_at{}, expires_at{};
  std::string user_agent, address;
};
[[nodiscard]] std::vector<login_row> list_login_sessions(database& db, std::int64_t user_id, sys_seconds at);
[[nodiscard]] std::string login_session_id(std::string_view token);
// Ends one login of this account; false when it has none by that id.
bool end_login_session_by_id(database& db, std::int64_t user_id, std::string_view id);

// "Forgot password": a one-time code, valid one hour, for an enabled account. Making one
// spends every earlier code of the account.
inline constexpr std::chrono::hours password_reset_validity{1};
[[nodiscard]] std::string create_password_reset(database& db, std::int64_t user_id, sys_seconds at);
// The enabled account the code (unused, not expired) is for.
[[nodiscard]] std::optional<user> find_password_reset(database& db, std::string_view code, sys_seconds at);
// Sets the new password (hashed by the caller), spends the code, and ends every login of the
// account (a thief's too). not_found when the code is unknown, used or expired.
[[nodiscard]] outcome<user> use_password_reset(database& db, std::string_view code, std::string_view password_hash,
                                               sys_seconds at);
// Deletes logins (with their browser and address) and reset codes past their time; the
// server's housekeeping runs it every minute.
void forget_expired_logins(database& db, sys_seconds at);
// The account of this address if it exists and is enabled.
[[nodiscard]] std::optional<user> find_enabled_user(database& db, std::string_view email);

// Invitations: a one-time code that lets a new organiser choose a password.
inline constexpr std::chrono::hours invitation_validity{24 * 7};
// account_exists when the address has an account already: an invitation only ever makes a new one.
[[nodiscard]] outcome<std::string> create_invitation(database& db, std::string_view email, std::string_view role,
                                                     std::int64_t invited_by, sys_seconds at);
struct invitation {
  std::string email, role;
};
[[nodiscard]] std::optional<invitation> find_invitation(database& db, std::string_view code, sys_seconds at);
// Creates the account and spends the code; not_found when the code is unknown, used or expired,
// account_exists when the address has an account by now (never changes an existing one).
// The password is checked (check_new_password) and hashed by the caller beforehand.
[[nodiscard]] outcome<user> accept_invitation(database& db, std::string_view code, std::string_view password_hash,
                                              sys_seconds at);

struct account_row {
  user who;
  sys_seconds created_at{};
  std::optional<sys_seconds> disabled_at;
};
[[nodiscard]] std::vector<account_row> list_users(database& db);
[[nodiscard]] std::optional<account_row> find_account(database& db, std::int64_t user_id);

// An admin's changes to an account: disable it (its login sessions end and its API tokens are
// revoked at once; it cannot sign in; its events stay with their other organisers), enable it
// again, or give it another role. not_found for an unknown id; last_admin when the change would
// leave no enabled admin.
struct account_change {
  std::optional<bool> disabled;
  std::optional<std::string> role;  // organiser | admin
};
[[nodiscard]] outcome<account_row> change_account(database& db, std::int64_t user_id, account_change const& change,
                                                  sys_seconds at);
// Who may manage the event besides admins: its creator (owner) and those it was shared with.
struct event_organiser {
  std::int64_t id = 0;
  std::string email;
  bool owner = false;
};
[[nodiscard]] std::vector<event_organiser> event_organisers(database& db, event const& e);
// Takes an organiser's share of an event back; false when they had none.
bool revoke_event_access(database& db, std::int64_t event_id, std::int64_t user_id);

// API tokens of one user, for the workspace (never the token itself).
struct token_row {
  std::int64_t id = 0;
  std::string label;
  sys_seconds created_at{};
};
struct issued_token {
  std::int64_t id = 0;
  std::string token;  // shown once
};
[[nodiscard]] issued_token create_api_token(database& db, std::int64_t user_id, std::string_view label);
[[nodiscard]] std::vector<token_row> list_api_tokens(database& db, std::int64_t user_id);
bool revoke_api_token(database& db, std::int64_t user_id, std::int64_t token_id, sys_seconds at);

// Passwords: 10 to 200 characters. Empty when fine, else the reason key.
[[nodiscard]] std::string check_new_password(std::string_view password);

}  // namespace einlass::checkin
