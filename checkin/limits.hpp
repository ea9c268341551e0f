#pragma once
// Rate limits kept in the database, so every server of one PostgreSQL counts the same
// budget (a fixed one-minute window per key, as server/http/rate_limit.hpp keeps in memory).
#include "checkin/db.hpp"
#include "checkin/time.hpp"

#include <optional>
#include <string_view>

namespace einlass::checkin {

// Counts one hit of `key` in the minute of `at`; when past `per_minute`, the seconds until
// that minute ends (for Retry-After). One atomic statement: no transaction, no write lock.
[[nodiscard]] std::optional<int> count_hit(database& db, std::string_view key, sys_seconds at, int per_minute);

// Deletes the windows of minutes before `at`'s (with them the client addresses they name).
void forget_rate_windows(database& db, sys_seconds at);

}  // namespace einlass::checkin
