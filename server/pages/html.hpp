#pragma once
// HTML output: everything that comes from data or catalogues passes esc().
#include "checkin/localized.hpp"
#include "server/http/http.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace einlass::server {

[[nodiscard]] std::string esc(std::string_view s);
// esc() with line breaks kept as <br>.
[[nodiscard]] std::string esc_lines(std::string_view s);
// ` lang="…" dir="…"`: an organiser's text marked with the language it is shown in, so a screen
// reader pronounces it right and Arabic runs right to left inside a page in another language.
[[nodiscard]] std::string lang_attrs(checkin::shown const& s);
// The text escaped inside <tag lang dir>.
[[nodiscard]] std::string in_own_language(checkin::shown const& s, std::string_view tag = "span");

struct page {
  std::string lang;
  std::string title;
  std::string body;                  // trusted HTML, built with esc()
  std::string lang_switch;           // trusted HTML for the header, or empty for the default links
  std::vector<std::string> scripts;  // module paths under /assets/
  std::string data_json;             // JSON handed to scripts in a non-executed data block
  std::vector<std::string> styles;   // extra style sheets under /assets/
  std::string manifest;              // a web app manifest's URL (the door page), or empty
  std::string brand;                 // trusted HTML for the header's left: who invites (logo, name)
  std::string footer;                // trusted HTML: who invites, imprint and privacy links
};

// The whole document: lang and dir on <html>, skip link, header with language switch.
[[nodiscard]] std::string render_page(request const& req, page const& p);

// Links to the same path in each language.
[[nodiscard]] std::string language_links(request const& req, std::string_view current);

// A page response in the chosen language, remembering an explicit ?lang= choice in a cookie.
[[nodiscard]] response page_response(request const& req, int status, page const& p);

}  // namespace einlass::server
