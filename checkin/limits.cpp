#include "checkin/limits.hpp"

#include <chrono>

namespace einlass::checkin {

namespace {
std::string minute_of(sys_seconds at) { return to_utc_text(at).substr(0, 16); }
}  // namespace

std::optional<int> count_hit(database& db, std::string_view key, sys_seconds at, int per_minute) {
  auto n = db.query_one<std::int64_t>(
      "INSERT INTO rate_windows (key, minute, n) VALUES (?1, ?2, 1) "
      "ON CONFLICT (key, minute) DO UPDATE SET n = rate_windows.n + 1 RETURNING n",
      key, minute_of(at));
  if (!n || *n <= per_minute) return std::nullopt;
  auto into = at.time_since_epoch() % std::chrono::minutes(1);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::minutes(1) - into).count());
}

void forget_rate_windows(database& db, sys_seconds at) {
  db.run("DELETE FROM rate_windows WHERE minute < ?1", minute_of(at));
}

}  // namespace einlass::checkin
