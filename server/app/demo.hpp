#pragma once
#include "checkin/db.hpp"

#include <string>
#include <string_view>

namespace einlass::server {

// The demo organiser's login (its password is set afresh at every demo start).
inline constexpr std::string_view demo_organiser = "demo@einlass.invalid";

// Creates, unless there is one already, a demo organiser and a demo event modelled on an
// IQ network meeting: 120 seats, three parallel working groups. Returns the event's slug.
std::string ensure_demo_event(checkin::database& db);

}  // namespace einlass::server
