#pragma once
// What an organiser writes into the mails guests get: an intro after the greeting and a
// closing before the footer, per kind of mail and per language ("Please bring your ID";
// "Parking behind the building"). A guest reads their language where written, else the
// event's; a kind without a text gets none.
#include "checkin/errors.hpp"
#include "checkin/localized.hpp"

#include <boost/json/fwd.hpp>

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

// A text an organiser writes for guests, from JSON: a string (in `base_lang`) or an object of
// languages ({"de": "…", "ar": "…"}); each checked (at most max_length characters, lines
// allowed) and handed to `put`, faults named by path and language (certificate_text.fr).
void read_languages(boost::json::value const& v, std::string_view base_lang, std::string const& path,
                    std::size_t max_length, std::vector<field_error>& errors,
                    std::function<void(std::string_view lang, std::string text)> const& put);

// The kinds of mail a guest may get, in the order they come.
inline constexpr std::array<std::string_view, 8> guest_mail_kinds{"confirm", "ticket",   "waitlisted", "promoted",
                                                                  "changed", "reminder", "cancelled",  "thanks"};
inline constexpr std::array<std::string_view, 2> mail_text_parts{"intro", "closing"};

class mail_texts {
 public:
  // kind and part as above; lang one of text_languages.
  void set(std::string_view kind, std::string_view part, std::string_view lang, std::string text);
  // In `reader`'s language where written, else in `fallback`'s, else empty.
  [[nodiscard]] shown get(std::string_view kind, std::string_view part, std::string_view reader,
                          std::string_view fallback) const;
  [[nodiscard]] bool empty() const { return texts_.empty(); }
  // As stored and as organisers get it: {"ticket": {"intro": {"de": "…"}}}.
  [[nodiscard]] boost::json::object to_json() const;
  [[nodiscard]] std::string to_text() const;
  [[nodiscard]] static mail_texts from_text(std::string_view stored);
  // From an event body's "mail_texts": each part a string (the event's language) or an
  // object of languages; faults named by path (mail_texts.ticket.intro.fr).
  [[nodiscard]] static mail_texts read(boost::json::value const& v, std::string_view base_lang,
                                       std::vector<field_error>& errors);
  bool operator==(mail_texts const&) const = default;

 private:
  // kind -> part -> language -> text
  std::map<std::string, std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>>,
           std::less<>>
      texts_;
};

}  // namespace einlass::checkin
