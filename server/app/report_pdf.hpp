#pragma once
// The report for the funder (Auswertung, issue 15) as a PDF in German or English: the event's
// facts, registered / confirmed / came / no-show, by type of organisation and by working group
// (tables with bars), arrivals over time (a bar chart), and the feedback (ratings and the
// comments, anonymous). Small whatever the event's size: it is drawn from the counters.
#include "checkin/event.hpp"
#include "checkin/feedback.hpp"
#include "checkin/organisations.hpp"
#include "checkin/pdf.hpp"
#include "checkin/stats.hpp"

#include <optional>
#include <string>
#include <vector>

namespace einlass::server {

struct report_document {
  checkin::event const& e;
  checkin::organisation const* org = nullptr;
  std::optional<checkin::uploaded_image> org_logo;
  std::vector<std::string> funders;  // PNG or SVG
  std::string lang;                  // de | en
  checkin::event_stats stats;
  checkin::feedback_summary feedback;
  checkin::sys_seconds made_at{};
};

// Draws the report into `d` (A4); returns the number of pages.
int report_pdf(report_document const& doc, checkin::pdf::document& d);

// The width of an arrivals bar for an event of this length: 15 minutes up to 6 hours, else an hour.
[[nodiscard]] int report_bucket_minutes(checkin::event const& e);

}  // namespace einlass::server
