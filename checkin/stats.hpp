#pragma once
// An event's figures for the dashboard, the stats call and the statistics downloads, read
// from the counters that triggers keep (schema/005): nothing is counted per person.
#include "checkin/db.hpp"
#include "checkin/event.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

struct event_stats {
  std::int64_t registered = 0;  // every registration, cancelled ones included
  std::int64_t confirmed = 0, waitlisted = 0, cancelled = 0;
  std::int64_t checked_in = 0;         // people admitted on any list
  std::int64_t inside = 0;             // in the event now (whole-event list)
  std::int64_t no_shows = 0;           // confirmed and not checked in
  double no_show_rate = 0;             // no_shows / confirmed, 0..1
  std::int64_t offline_conflicts = 0;  // tickets two doors admitted (checkin/conflicts.hpp)
  std::optional<std::int64_t> capacity;
  std::int64_t overbooked = 0;  // confirmed past the capacity (staff gave seats over it on purpose)

  struct session_row {
    std::int64_t id = 0;
    std::string title;
    std::optional<std::int64_t> capacity;
    std::int64_t confirmed = 0, waitlisted = 0;
    std::int64_t present = 0;     // of its confirmed people, checked in to the event
    std::int64_t checked_in = 0;  // admitted at the session's own door (its list)
  };
  std::vector<session_row> by_session;

  struct type_row {
    std::string type;  // organisation type key; "" when not asked
    std::int64_t confirmed = 0, waitlisted = 0, cancelled = 0, checked_in = 0;
  };
  std::vector<type_row> by_organisation_type;  // in the order of organisation_types, then ""

  struct bucket {
    sys_seconds at{};  // start of the interval
    std::int64_t count = 0;
  };
  int bucket_minutes = 15;
  std::vector<bucket> arrivals;  // first admissions to the event per interval, gaps filled with 0

  struct device_row {
    std::int64_t id = 0;
    std::string name;
    std::int64_t admitted = 0;  // first admissions to the event by this device
  };
  std::vector<device_row> by_device;
};

// bucket_minutes: 1 to 1440.
[[nodiscard]] event_stats compute_stats(database& db, event const& e, int bucket_minutes = 15);

[[nodiscard]] boost::json::object stats_to_json(event_stats const& s, std::string_view zone);

}  // namespace einlass::checkin
