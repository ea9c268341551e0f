#pragma once
// The signature list (Teilnahmeliste / Unterschriftenliste) as a PDF (issue 15): per event or
// per session, sorted by last name, with number, name, organisation, its type, the check-in
// time and an empty field to sign; the event, date, venue and who invites (with its logo) at the
// top of every page, the table head repeated, "Seite 2 von 5" at the foot, and blank rows at the
// end for walk-ins. Rows have one height (a long name shrinks to fit), so the page count is
// known before the first page is drawn; the rows are read a page at a time.
#include "checkin/attendees.hpp"
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/pdf.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace einlass::server {

struct attendance_document {
  checkin::event const& e;
  checkin::session_info const* session = nullptr;  // none: the whole event
  checkin::organisation const* org = nullptr;
  std::optional<checkin::uploaded_image> org_logo;
  std::string lang;  // the organiser's (de, en)
  std::int64_t people = 0;
  int blank_rows = 10;
  // Up to `limit` rows from `offset` on, in the list's order.
  std::function<std::vector<checkin::attendee_row>(std::int64_t offset, int limit)> rows;
  std::vector<std::string> funders;  // the funders' logos (PNG or SVG), top right on every page
};

// Draws every page into `d` (A4 portrait); returns the number of pages.
int attendance_pdf(attendance_document const& doc, checkin::pdf::document& d);
// Rows that fit one page.
[[nodiscard]] int attendance_rows_per_page();

}  // namespace einlass::server
