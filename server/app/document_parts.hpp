#pragma once
// What the PDFs share (issue 15): who invites at the top of a page, the funders' logos, the
// event's date and duration in words.
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/pdf.hpp"

#include <optional>
#include <string>
#include <vector>

namespace einlass::server {

// Who invites: its logo (PNG or SVG, at most logo_height high) and then its name, in a row at
// (x, y) no wider than `width`; returns the height used (0 without an organisation).
double draw_sender(checkin::pdf::document& d, double x, double y, double width, double logo_height,
                   checkin::organisation const* org, std::optional<checkin::uploaded_image> const& org_logo,
                   checkin::pdf::text_style const& name_style);

// The funders' logos (PNG or SVG) side by side, each at most `height` high and 40 mm wide, the last
// ending at `right`; returns where the first begins (`right` without logos).
double draw_funders(checkin::pdf::document& d, double right, double y, double height,
                    std::vector<std::string> const& logos);

// The event's day, or first and last day ("12. März 2026 – 13. März 2026").
[[nodiscard]] std::string event_days(checkin::event const& e, std::string_view lang);
// How long the event lasts in words: "4 Stunden", "2,5 Stunden", "2 Tage".
[[nodiscard]] std::string event_duration(checkin::event const& e, std::string_view lang);

}  // namespace einlass::server
