#pragma once
// Checks on text that people type: the rules every stored field follows.
#include <cstddef>
#include <string>
#include <string_view>

namespace einlass::checkin {

[[nodiscard]] bool is_valid_utf8(std::string_view s);

// Bytes of the UTF-8 sequence that starts with `lead` (1 to 4), for cutting valid text at
// whole characters.
[[nodiscard]] constexpr std::size_t utf8_length(unsigned char lead) noexcept {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

// The text with every malformed UTF-8 sequence replaced by U+FFFD, safe to show.
[[nodiscard]] std::string valid_utf8(std::string_view s);

// Trims ASCII white space at both ends.
[[nodiscard]] std::string_view trim(std::string_view s);

// Empty when fine, otherwise the reason key: invalid_text (bad UTF-8 or control
// characters; line breaks and tabs only when multiline) or too_long (over max_chars code points).
[[nodiscard]] std::string check_text(std::string_view s, std::size_t max_chars, bool multiline = false);

[[nodiscard]] bool is_plausible_email(std::string_view s);
// The key one address is known by: trimmed and lower-case (ASCII).
[[nodiscard]] std::string email_key(std::string_view email);

// A LIKE pattern (ESCAPE '\\') matching text that contains q, trimmed, with % _ and \\ taken
// literally; empty when q is blank.
[[nodiscard]] std::string like_contains(std::string_view q);

// Lower-case letters, digits and inner hyphens; 2 to 64 characters.
[[nodiscard]] bool is_valid_slug(std::string_view s);

}  // namespace einlass::checkin
