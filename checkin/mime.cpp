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
  // Encoded words of 64 characters at most (39 bytes of text), so that one fits a line of 78
  // after "Subject: "; cut at whole UTF-8 sequences, one word per folded line.
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t end = i, take = 0;
    while (end < s.size()) {
      auto c = static_cast<unsigned char>(s[end]);
      std::size_t len = std::max<std::size_t>(1, utf8_length(c));
      if (take + len > 39) break;
      take += len;
      end += len;
    }
    if (end == i) end = i + 1;
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

std::string display_name_of(std::string_view mailbox) {
  auto lt = mailbox.rfind('<');
  if (lt == std::string_view::npos) return {};
  auto name = trim(mailbox.substr(0, lt));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < name.size(); ++i) {
      if (name[i] == '\\' && i + 2 < name.size()) ++i;
      out += name[i];
    }
    return out;
  }
  return std::string(name);
}

std::string format_mailbox(std::string_view name, std::string_view address, std::size_t name_length) {
  std::string addr = "<" + std::string(address) + ">";
  if (name.empty()) return addr;
  std::string phrase;
  if (plain_ascii(name)) {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  } else {
    phrase = encode_word(name);
  }
  // The address on a line of its own when it would not fit after the name's last line.
  auto last_line = phrase.size() - (phrase.rfind('\n') == std::string::npos ? 0 : phrase.rfind('\n') + 1);
  bool one_line = phrase.find('\n') == std::string::npos;
  auto used = (one_line ? name_length + 2 : 0) + last_line + 1 + addr.size();
  return phrase + (used > 78 ? "\r\n " : " ") + addr;
}

// A header of ASCII words, folded at spaces before 78 characters.
std::string folded(std::string_view name, std::string const& value) {
  std::string out = std::string(name) + ": ";
  std::size_t line = out.size();
  std::size_t i = 0;
  while (i < value.size()) {
    auto space = value.find(' ', i + 1);
    auto word = value.substr(i, space == std::string::npos ? std::string::npos : space - i);
    if (word.find('\n') == std::string::npos && line + word.size() > 78 && line > name.size() + 2 &&
        word.front() == ' ') {
      out += "\r\n";
      line = 0;
    }
    out += word;
    auto nl = word.rfind('\n');
    line = nl == std::string::npos ? line + word.size() : word.size() - nl - 1;
    i += word.size();
  }
  return out + "\r\n";
}

std::string to_mime(mail_message const& m) {
  std::string out;
  out += "From: " + format_mailbox(display_name_of(m.from), address_of(m.from), 4) + "\r\n";
  out += "To: " + format_mailbox(m.to_name, m.to, 2) + "\r\n";
  out += folded("Subject", encode_word(m.subject));
  out += "Date: " + date::format("%a, %d %b %Y %H:%M:%S +0000", m.date) + "\r\n";
  out += "Message-ID: " + m.message_id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Auto-Submitted: auto-generated\r\n";

  auto alt = boundary();
  std::string alternative = "Content-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  alternative +=
      "--" + alt + "\r\n" + part_header("text/plain; charset=utf-8", "base64") + "\r\n" + base64_lines(m.text);
  alternative +=
      "--" + alt + "\r\n" + part_header("text/html; charset=utf-8", "base64") + "\r\n" + base64_lines(m.html);
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
      body += "--" + mixed + "\r\n" + part_header(a.content_type, "base64") +
              "Content-Disposition: attachment; filename=\"" + a.filename + "\"\r\n\r\n" + base64_lines(a.data);
    body += "--" + mixed + "--\r\n";
  }
  return out + body;
}

}  // namespace einlass::checkin
