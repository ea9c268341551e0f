#pragma once
// Charts for the dashboard, drawn as SVG on the server: no chart library in the browser.
#include "checkin/stats.hpp"

#include <string>
#include <string_view>

namespace einlass::server {

// Arrivals per interval as bars, times on the x axis in the event's zone, labelled in the
// workspace language. A chart with no arrivals says so instead of drawing empty axes.
[[nodiscard]] std::string arrivals_svg(checkin::event_stats const& s, std::string_view zone, std::string_view lang);

}  // namespace einlass::server
