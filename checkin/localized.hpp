#pragma once
// Texts an organiser writes for participants (titles, descriptions, venues, question labels):
// always in the event's own language, and where written in others. A reader gets their
// language where it was written, else the event's, and the page marks which it is.
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

// The languages texts may be written in: the participants' interface languages.
inline constexpr std::array<std::string_view, 3> text_languages{"de", "en", "ar"};
[[nodiscard]] bool is_text_language(std::string_view lang);
// "rtl" for a script written right to left (Arabic), else "ltr".
[[nodiscard]] std::string_view direction_of(std::string_view lang);

enum class text_field { title, description, venue, address, label, options };
[[nodiscard]] std::string_view to_string(text_field f);

// What was written besides the event's language: language -> field -> text. Only written
// (non-empty) texts are kept; a question's options are kept one per line.
class translations {
 public:
  void set(std::string_view lang, text_field field, std::string text);
  [[nodiscard]] std::string_view get(std::string_view lang, text_field field) const;
  // The languages with at least one text, in text_languages order.
  [[nodiscard]] std::vector<std::string_view> languages() const;
  [[nodiscard]] bool empty() const { return by_lang_.empty(); }
  // As stored: {"en": {"title": "…"}, "ar": {…}}.
  [[nodiscard]] std::string to_json() const;
  // Unknown languages or fields in stored text are skipped.
  [[nodiscard]] static translations from_json(std::string_view stored);
  bool operator==(translations const&) const = default;

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> by_lang_;
};

// A text as a reader sees it: the words and the language they are in.
struct shown {
  std::string_view text;
  std::string_view lang;
  [[nodiscard]] std::string_view dir() const { return direction_of(lang); }
};

// The reader's language where written, else `base` in the event's language `fallback`.
[[nodiscard]] shown in_language(std::string_view base, translations const& t, text_field field, std::string_view reader,
                                std::string_view fallback);

struct shown_options {
  std::vector<std::string> options;
  std::string_view lang;
};
// A question's options in the reader's language: the translation when it names as many
// options as the base (so each maps to the stored answer), else the base.
[[nodiscard]] shown_options options_in(std::vector<std::string> const& base, translations const& t,
                                       std::string_view reader, std::string_view fallback);

// Where `chosen` is among the options, in the event's language or any translation.
[[nodiscard]] std::optional<std::size_t> option_index(std::vector<std::string> const& base, translations const& t,
                                                      std::string_view chosen);

}  // namespace einlass::checkin
