#include "checkin/mime.hpp"

#include "checkin/crypto.hpp"
#include "checkin/text.hpp"

#include <date/date.h>
#include <sodium.h>

namespace einlass::checkin {

namespace {

std::string base64(std::string_view data) {
  std::string out(sodium_base64_encoded_len(data.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<unsigned char const*>(data.data()), data.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Base64 in lines of 76 characters, as MIME wants.
std::string base64_lines(std::string_view data) {
  auto b = base64(data);
  std::string out;
  for (std::size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

bool plain_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  return true;
}

std::string boundary() { return "=_einlass_" + random_token(12); }

std::string part_header(std::string const& type, std::string const& encoding) {
  return "Content-Type: " + type + "\r\nContent-Transfer-Encoding: " + encoding + "\r\n";
}

}  // namespace

std::string encode_word(std::string_view s) {
  if (plain_ascii(s)) return std::string(s);
  // Encoded words of at most 75 characters: cut the text at whole UTF-8 sequences.
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = i, take = 0;
    while (end < s.size()) {
      auto c = static_cast<unsigned char>(s[end]);
      std::size_t len = utf8_length(c);
      if (take + len > 45) break;
      take += len;
      end += len;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(s.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string address_of(std::string_view mailbox) {
  auto lt = mailbox.rfind('<');
  auto gt = mailbox.rfind('>');
  if (lt != std::string_view::npos && gt != std::string_view::npos && gt > lt)
    return std::string(mailbox.substr(lt + 1, gt - lt - 1));
  return std::string(mailbox);
}

std::string to_mime(mail_message const& m) {
  std::string out;
  out += "From: " + m.from + "\r\n";
  out += "To: " + (m.to_name.empty() ? m.to : encode_word(m.to_name) + " <" + m.to + ">") + "\r\n";
  out += "Subject: " + encode_word(m.subject) + "\r\n";
  out += "Date: " + date::format("%a, %d %b %Y %H:%M:%S +0000", m.date) + "\r\n";
  out += "Message-ID: " + m.message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";

  auto alt = boundary();
  std::string alternative = "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  alternative += "--" + alt + "\r\n" + part_header("text/plain; charset=utf-8", "base64") + "\r\n" + base64_lines(m.text);
  alternative += "--" + alt + "\r\n" + part_header("text/html; charset=utf-8", "base64") + "\r\n" + base64_lines(m.html);
  alternative += "--" + alt + "--\r\n";

  std::string body = alternative;
  if (m.inline_image) {
    auto rel = boundary();
    auto const& img = *m.inline_image;
    body = "Content-Type: multipart/related; boundary=\"" + rel + "\"\r\n\r\n";
    body += "--" + rel + "\r\n" + alternative;
    body += "--" + rel + "\r\n" + part_header(img.content_type, "base64") + "Content-ID: <" + img.content_id +
            ">\r\nContent-Disposition: inline; filename=\"" + img.filename + "\"\r\n\r\n" + base64_lines(img.data);
    body += "--" + rel + "--\r\n";
  }
  if (!m.attachments.empty()) {
    auto mixed = boundary();
    std::string inner = body;
    body = "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    body += "--" + mixed + "\r\n" + inner;
    for (auto const& a : m.attachments)
      body += "--" + mixed + "\r\n" + part_header(a.content_type, "base64") + "Content-Disposition: attachment; filename=\"" +
              a.filename + "\"\r\n\r\n" + base64_lines(a.data);
    body += "--" + mixed + "--\r\n";
  }
  return out + body;
}

}  // namespace einlass::checkin
