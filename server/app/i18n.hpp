#pragma once
// Message catalogues (web/i18n/{de,en,ar}.json, compiled in) and formatting of dates
// and numbers per language. Every text a person reads comes from here.
#include "checkin/time.hpp"
#include "server/http/http.hpp"

#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace einlass::server {

inline constexpr std::array<std::string_view, 3> supported_languages{"de", "en", "ar"};
inline constexpr std::string_view default_language = "de";

using placeholders = std::initializer_list<std::pair<std::string_view, std::string_view>>;

class catalog {
 public:
  // The catalogues compiled into the binary.
  static catalog const& builtin();
  // The organisers' workspace (web/i18n/admin.{de,en}.json): German and English only.
  static catalog const& workspace();
  // For tests: catalogues from JSON texts keyed by language.
  explicit catalog(std::unordered_map<std::string, std::string> const& json_by_language);

  // The text for key in lang, falling back to German, then to the key itself.
  [[nodiscard]] std::string_view text(std::string_view lang, std::string_view key) const;
  // text() with {name} placeholders replaced.
  [[nodiscard]] std::string format(std::string_view lang, std::string_view key, placeholders values) const;
  // key.one for n == 1 where the catalogue has it, else key.other; {n} is the number.
  [[nodiscard]] std::string plural(std::string_view lang, std::string_view key, std::int64_t n) const;
  [[nodiscard]] bool has(std::string_view lang, std::string_view key) const;
  [[nodiscard]] std::vector<std::string> keys(std::string_view lang) const;
  // The raw catalogue as JSON, for the pages' scripts.
  [[nodiscard]] std::string_view json(std::string_view lang) const;

  [[nodiscard]] std::string format_number(std::string_view lang, std::int64_t n) const;
  [[nodiscard]] std::string format_date(std::string_view lang, checkin::sys_seconds t, std::string_view zone) const;
  [[nodiscard]] std::string format_time(std::string_view lang, checkin::sys_seconds t, std::string_view zone) const;
  // "Samstag, 5. Dezember 2026, 10:00 Uhr – 16:00 Uhr", the end's date only when it differs.
  [[nodiscard]] std::string format_range(std::string_view lang, checkin::sys_seconds start, checkin::sys_seconds end,
                                         std::string_view zone) const;

 private:
  std::unordered_map<std::string, std::unordered_map<std::string, std::string>> texts_;
  std::unordered_map<std::string, std::string> raw_;
};

inline constexpr std::array<std::string_view, 2> workspace_languages{"de", "en"};
// The workspace speaks German or English: English for anyone who did not choose German.
[[nodiscard]] std::string workspace_language(request const& req);

[[nodiscard]] bool is_supported_language(std::string_view lang);
[[nodiscard]] inline bool is_rtl(std::string_view lang) { return lang == "ar"; }
// ?lang=, then the lang cookie, then Accept-Language, then German.
[[nodiscard]] std::string pick_language(request const& req);

}  // namespace einlass::server
