#pragma once
// The ticket as a PDF (issue 15): A4, or A6 for printing from a phone. The QR code, the
// holder's name, the event in the holder's language (date and time in the event's zone, venue,
// address, their sessions), and who invites with its logo. Attached to the ticket mail and at
// /t/{code}.pdf.
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/pdf.hpp"
#include "checkin/registration.hpp"

#include <optional>
#include <string>

namespace einlass::server {

struct ticket_document {
  checkin::event const& e;
  checkin::registration const& r;
  checkin::organisation const* org = nullptr;
  std::optional<checkin::uploaded_image> org_logo;  // PNG or SVG
  std::string lang;
  std::string ticket_url;
};

[[nodiscard]] std::string ticket_pdf(ticket_document const& t, checkin::pdf::page_size size);

}  // namespace einlass::server
