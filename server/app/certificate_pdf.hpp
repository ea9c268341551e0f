#pragma once
// Certificates of attendance as a PDF (issue 15): one A4 page per person who came, in their
// language (or one the organiser picks): who invites, the title, the holder's name large, the
// event's text from the organiser's template with its placeholders filled (name, event, date,
// duration, working groups, the holder's organisation), the signature image, the signer's name
// and role, the funders' logos, and the verification code as a link and a QR code
// (checkin/certificates.hpp).
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/pdf.hpp"
#include "checkin/registration.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace einlass::server {

struct certificate_entry {
  checkin::registration reg;
  std::string code;  // id-mac
};

struct certificate_document {
  checkin::event const& e;
  checkin::organisation const* org = nullptr;
  std::optional<checkin::uploaded_image> org_logo;
  std::optional<checkin::uploaded_image> signature;  // PNG or SVG
  std::vector<std::string> funders;                  // PNG or SVG
  std::string base_url;                              // for /v/{code}
  std::string lang;                                  // empty: each holder's own
  std::int64_t people = 0;
  // Up to `limit` entries from `offset` on.
  std::function<std::vector<certificate_entry>(std::int64_t offset, int limit)> rows;
};

// Draws one page per person into `d` (A4); returns the number of pages.
int certificates_pdf(certificate_document const& doc, checkin::pdf::document& d);
// The language of a holder's certificate: `chosen` (the organiser's pick) or the holder's, when
// the organiser's own text (if any) is written in it; else the event's.
[[nodiscard]] std::string certificate_language(checkin::event const& e, checkin::registration const& r,
                                               std::string_view chosen);
// The text of the holder's certificate (the template with its placeholders filled).
[[nodiscard]] std::string certificate_text(checkin::event const& e, checkin::registration const& r,
                                           std::string const& lang);

}  // namespace einlass::server
