#pragma once
// Name badges as a PDF (issue 15): A4 sheets for the usual badge sizes, with cut marks and a
// legend of the colour bands, or one badge a page for a 62 mm label printer. Large first name,
// full name, organisation, working groups, a colour band by type of organisation, the ticket's
// QR code if asked. Text never leaves its badge: a long name shrinks, then ends in an ellipsis.
#include "checkin/attendees.hpp"
#include "checkin/event.hpp"
#include "checkin/pdf.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::server {

struct badge_layout {
  std::string_view name;
  checkin::pdf::page_size page;
  double badge_w, badge_h;  // mm
  int columns, rows;        // per page
  bool sheet;               // cut marks and a legend
};
// a4-8: 90 x 54 mm, 8 a sheet; a4-10: 85 x 55 mm, 10 a sheet; label-62: 62 x 100 mm, one a page.
[[nodiscard]] std::optional<badge_layout> find_badge_layout(std::string_view name);

struct badge_document {
  checkin::event const& e;
  badge_layout layout;
  std::string lang;  // of the legend and the texts (the organiser's)
  bool with_qr = false;
  std::int64_t people = 0;
  std::function<std::vector<checkin::attendee_row>(std::int64_t offset, int limit)> rows;
};

// Every page into `d`, which must have the layout's page size; returns the pages drawn.
int badges_pdf(badge_document const& doc, checkin::pdf::document& d);

}  // namespace einlass::server
