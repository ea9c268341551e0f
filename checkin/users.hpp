#pragma once
// Organisers and admins, their passwords and API tokens.
#include "checkin/db.hpp"
#include "checkin/event.hpp"

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
[[nodiscard]] std::optional<user> find_user(database& db, std::string_view email);
// A new API token for the user; only its hash is stored.
[[nodiscard]] std::string create_api_token(database& db, std::int64_t user_id);
[[nodiscard]] std::optional<user> user_by_token(database& db, std::string_view token);
// An organiser sees and changes the events they created or were given; an admin, all.
[[nodiscard]] bool can_manage(database& db, user const& u, event const& e);

}  // namespace einlass::checkin
