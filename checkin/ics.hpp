#pragma once
// An event as an iCalendar file (RFC 5545) for the participant's calendar: times in the
// event's own zone, with a VTIMEZONE that says what that zone's offsets are around the event.
#include "checkin/event.hpp"
#include "checkin/time.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

struct calendar_entry {
  std::string uid;          // stable per registration: a calendar updates instead of duplicating
  std::string description;  // plain text
  std::string url;          // the ticket page
  sys_seconds stamp{};
  std::string lang;  // the reader's language for the event's texts; empty: the event's own
};

[[nodiscard]] std::string event_ics(event const& e, calendar_entry const& entry);

// Several events in one calendar (a feed), `name` its title (X-WR-CALNAME).
struct calendar_item {
  event const* e = nullptr;
  calendar_entry entry;
};
[[nodiscard]] std::string events_ics(std::vector<calendar_item> const& items, std::string_view name);

// TEXT value escaping (backslash, semicolon, comma, line breaks).
[[nodiscard]] std::string ics_escape(std::string_view s);

}  // namespace einlass::checkin
