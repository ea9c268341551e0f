#pragma once
// Instants are UTC (sys_seconds); an event's zone turns them into local wall time.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace einlass::checkin {

using sys_seconds = std::chrono::sys_seconds;

[[nodiscard]] sys_seconds now();

// "2026-12-03T15:00:00Z": how instants are stored; sorts chronologically as text.
[[nodiscard]] std::string to_utc_text(sys_seconds t);
[[nodiscard]] std::optional<sys_seconds> parse_utc_text(std::string_view s);

[[nodiscard]] bool is_known_timezone(std::string_view zone);

// ISO 8601 date-time. With an offset or Z it is exact; without one it is wall time in `zone`
// (for a time that a clock change skips or repeats, the earlier instant).
[[nodiscard]] std::optional<sys_seconds> parse_iso8601(std::string_view s, std::string_view zone);

// "2026-12-03T16:00:00+01:00": the instant as wall time in `zone`, with its offset.
[[nodiscard]] std::string to_iso8601(sys_seconds t, std::string_view zone);

struct local_time_parts {
  int year, month, day;  // month 1-12
  int weekday;           // 0 = Sunday
  int hour, minute;
  int second = 0;
};
[[nodiscard]] local_time_parts to_local(sys_seconds t, std::string_view zone);

// Many instants as wall time in one zone, fast: the zone is looked up once and its offset
// reused while instants stay within one rule period (for downloads of a whole event).
class wall_clock {
 public:
  explicit wall_clock(std::string_view zone);
  [[nodiscard]] local_time_parts local(sys_seconds t);
  // As to_iso8601().
  [[nodiscard]] std::string iso8601(sys_seconds t);

 private:
  std::chrono::seconds offset_of(sys_seconds t);
  void const* zone_ = nullptr;  // date::time_zone, or none for UTC
  sys_seconds begin_{}, end_{};
  std::chrono::seconds offset_{0};
};

}  // namespace einlass::checkin
