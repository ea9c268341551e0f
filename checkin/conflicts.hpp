#pragma once
// Tickets two doors admitted: a tablet offline let someone in whom another device had admitted
// already (both offline, or the other online). Nothing is merged: both scans stay recorded,
// the first admission counts, and the organiser sees each such pair (stats, dashboard, exports).
#include "checkin/db.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

// The first admission the server recorded and the offline one it learned of later.
struct offline_conflict {
  std::int64_t registration_id = 0;
  std::string ticket_code, first_name, last_name;
  std::int64_t list_id = 0;
  std::string first_device, second_device;
  sys_seconds first_at{}, second_at{};
};
[[nodiscard]] std::vector<offline_conflict> offline_conflicts(database& db, std::int64_t event_id);
[[nodiscard]] std::int64_t count_offline_conflicts(database& db, std::int64_t event_id);
[[nodiscard]] boost::json::object conflict_to_json(offline_conflict const& c, std::string_view zone);

// The rule in SQL, on a row `c` of checkins: an offline admission that met a first admission
// by another device. Every query about conflicts (the list, the count, the export's column)
// uses this one condition.
inline constexpr std::string_view conflict_condition =
    "(c.admitted_offline = 1 AND c.result = 'already_checked_in' AND EXISTS (SELECT 1 FROM attendance f "
    "WHERE f.registration_id = c.registration_id AND f.list_id = c.list_id AND (f.first_device_id IS NULL OR "
    "c.device_id IS NULL OR f.first_device_id <> c.device_id)))";

}  // namespace einlass::checkin
