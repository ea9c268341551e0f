#pragma once
// An e-mail as RFC 5322 / MIME text: plain text and HTML alternatives, an inline image the
// HTML refers to by Content-ID, attachments; headers with umlauts or Arabic encoded (RFC 2047).
#include "checkin/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

struct mime_attachment {
  std::string content_type;  // e.g. "image/png", "text/calendar; charset=utf-8; method=PUBLISH"
  std::string filename;
  std::string content_id;  // for an inline part; empty for an attachment
  std::string data;
};

struct mail_message {
  std::string from;     // "Name <address>" or an address; the name may be any UTF-8, commas too
  std::string to;       // the address
  std::string to_name;  // may be any UTF-8, commas and quotes too
  std::string subject;  // may be any UTF-8
  std::string message_id;
  sys_seconds date{};
  std::string text, html;
  std::optional<mime_attachment> inline_image;
  std::vector<mime_attachment> attachments;
};

[[nodiscard]] std::string to_mime(mail_message const& m);

// A header word: as it is when it is printable ASCII, else =?UTF-8?B?...?= in pieces.
[[nodiscard]] std::string encode_word(std::string_view s);
// The address inside "Name <address>", or the text itself.
[[nodiscard]] std::string address_of(std::string_view mailbox);
// The display name of "Name <address>" (unquoted), or empty.
[[nodiscard]] std::string display_name_of(std::string_view mailbox);
// The one way a mailbox goes into a header: a printable ASCII name as a quoted string (so a
// comma or a quote in it never makes a second mailbox), any other as RFC 2047 encoded words;
// folded so that no line passes 78 characters after a header name of `name_length`.
[[nodiscard]] std::string format_mailbox(std::string_view name, std::string_view address, std::size_t name_length);

}  // namespace einlass::checkin
