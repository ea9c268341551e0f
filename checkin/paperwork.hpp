#pragma once
// An event's paperwork (issue 15): certificates of attendance for those who came (a text per
// language with placeholders, who signs), the feedback form the thank-you mail links to, and
// the images documents carry: the signer's signature and up to three funders' logos (PNG).
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/localized.hpp"

#include <boost/json/fwd.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

// The placeholders a certificate's text may use.
inline constexpr std::array<std::string_view, 6> certificate_placeholders{"name",     "event",  "date",
                                                                          "duration", "groups", "organisation"};

struct paperwork {
  bool certificates = false;  // those who came get a certificate (and its link in the thank-you mail)
  std::map<std::string, std::string, std::less<>> certificate_text;  // language -> text; none: the built-in one
  std::string signer, signer_role;                                   // printed under the signature
  bool feedback = false;                                             // the thank-you mail links to the feedback form

  // The text in the reader's language where written, else the event's; empty when neither is.
  [[nodiscard]] shown text_for(std::string_view reader, std::string_view fallback) const;
  // As organisers get it: {"enabled": …, "text": {"de": "…"}, "signer": …, "signer_role": …}.
  [[nodiscard]] boost::json::object certificate_json() const;
  [[nodiscard]] std::string to_text() const;
  [[nodiscard]] static paperwork from_text(std::string_view stored);
  // From an event body's "certificate" object and "feedback" flag (either may be null);
  // faults named by path (certificate.text.fr, certificate.text.de: unknown_placeholder).
  [[nodiscard]] static paperwork read(boost::json::value const* certificate, boost::json::value const* feedback,
                                      std::string_view base_lang, std::vector<field_error>& errors);
  bool operator==(paperwork const&) const = default;
};

inline constexpr std::array<std::string_view, 4> event_image_names{"signature", "funder-1", "funder-2", "funder-3"};
inline constexpr std::size_t max_image_bytes = std::size_t{512} * 1024;

// An uploaded image (an organisation's logo, an event's signature or funder's logo) and its
// media type.
struct uploaded_image {
  std::string type, bytes;
};

// An uploaded image that pages and documents can show, as its media type says: a PNG (by its
// signature) or an SVG (UTF-8 text with an <svg element).
[[nodiscard]] bool is_image(std::string_view type, std::string_view bytes);

// Stores (or with empty bytes removes) one of event_image_names: an image (is_image) of at
// most max_image_bytes; invalid_field "image" with the reason otherwise.
[[nodiscard]] outcome<bool> set_event_image(database& db, std::int64_t event_id, std::string_view name,
                                            std::string_view type, std::string const& bytes);
[[nodiscard]] std::optional<uploaded_image> event_image(database& db, std::int64_t event_id, std::string_view name);
// The names of the images the event has.
[[nodiscard]] std::vector<std::string> event_image_list(database& db, std::int64_t event_id);
// The funders' logos in order (PNG or SVG bytes).
[[nodiscard]] std::vector<std::string> funder_logos(database& db, std::int64_t event_id);

}  // namespace einlass::checkin
