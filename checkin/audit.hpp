#pragma once
// The audit log: who did what to which event, written in the transaction of the change.
#include "checkin/db.hpp"
#include "checkin/time.hpp"
#include "checkin/users.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

void audit(database& db, user const& who, std::optional<std::int64_t> event_id, std::string_view action,
           boost::json::object const& detail, sys_seconds at);

struct audit_entry {
  std::int64_t id = 0;
  sys_seconds at{};
  std::string user_email, action;
  std::optional<std::int64_t> event_id;
  boost::json::object detail;
};
// The newest entries first; of one event, or all when event_id is empty. `before` pages back.
[[nodiscard]] std::vector<audit_entry> audit_entries(database& db, std::optional<std::int64_t> event_id, int limit,
                                                     std::optional<std::int64_t> before = std::nullopt);
[[nodiscard]] boost::json::object audit_to_json(audit_entry const& a, std::string_view zone);

}  // namespace einlass::checkin
