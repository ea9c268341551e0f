#pragma once
// The server's own view of an HTTP exchange. Handlers see only these types, never Beast
// or a socket, so tests call them directly and most files compile fast.
#include <boost/json/value.hpp>

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace einlass::server {

using fields = std::vector<std::pair<std::string, std::string>>;

struct request {
  std::string method;  // upper case, as sent
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded
  fields query;        // decoded, in order
  fields headers;      // names lower case
  std::string body;
  std::string remote;  // client address
  bool secure = false;
  std::map<std::string, std::string, std::less<>> params;  // from the route pattern

  [[nodiscard]] std::string_view header(std::string_view name) const;
  [[nodiscard]] std::optional<std::string_view> query_value(std::string_view name) const;
  [[nodiscard]] std::optional<std::string_view> cookie(std::string_view name) const;
  [[nodiscard]] std::string_view param(std::string_view name) const;
  // The token of "Authorization: Bearer <token>", or empty.
  [[nodiscard]] std::string_view bearer() const;
};

// A body that lives in an open, already unlinked file (a download written to disk first),
// sent in chunks so that memory does not grow with its size. Owns the descriptor.
struct file_body {
  int fd = -1;
  std::uint64_t size = 0;
  explicit file_body(int f);
  file_body(file_body const&) = delete;
  file_body& operator=(file_body const&) = delete;
  ~file_body();
  [[nodiscard]] int release() { return std::exchange(fd, -1); }
};

struct response {
  int status = 200;
  fields headers;
  std::string body;
  std::shared_ptr<file_body> file;  // when set, sent instead of body

  response& set(std::string name, std::string value);
  [[nodiscard]] std::string_view header(std::string_view name) const;
};

// What a step of a handler gives back: its value, or the response that ends the request
// there (an error in the caller's language, a 401, a redirect). The one way a handler's
// steps fail; domain results (checkin::outcome) become one with error_response.
//   auto body = read_json(req, lang);
//   if (!body) co_return std::move(body).error();
template <class T>
class [[nodiscard]] reply {
 public:
  reply(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  reply(response r) : v_(std::in_place_index<1>, std::move(r)) {}   // NOLINT(google-explicit-constructor)
  explicit operator bool() const noexcept { return v_.index() == 0; }
  T& operator*() & { return std::get<0>(v_); }
  T const& operator*() const& { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  T const* operator->() const { return &std::get<0>(v_); }
  // The response that ends the request; only when the step failed.
  response error() && { return std::move(std::get<1>(v_)); }

 private:
  std::variant<T, response> v_;
};

// True when `s` may stand in a header name or value as it is: no CR, LF or NUL (the bytes
// that would end the header and start one an attacker chose). The listener checks every
// header of every response with it and sends a 500 instead of one that fails.
[[nodiscard]] bool header_safe(std::string_view s) noexcept;
// The first header of `r` that fails header_safe(), by name, or empty when all pass.
[[nodiscard]] std::string_view unsafe_header(response const& r) noexcept;
// Behind reverse proxies: when the request came from one of `trusted` (addresses as text),
// the client is the rightmost X-Forwarded-For entry that is not a trusted proxy itself (the
// leftmost ones are the client's to invent), and X-Forwarded-Proto https marks the request
// secure. From any other peer both headers are ignored. An entry that is no IP address is
// not taken.
void apply_forwarded(request& r, std::vector<std::string> const& trusted);
// "a,b,c" as IP addresses (IPv4 or IPv6 as text); nullopt when an entry is none.
[[nodiscard]] std::optional<std::vector<std::string>> address_list(std::string_view list);
// A Host header we answer: empty (HTTP/1.0), or a host name, IPv4 or [IPv6] address with an
// optional port, at most 255 characters. Anything else gets 400 before a handler sees it.
[[nodiscard]] bool plausible_host(std::string_view host) noexcept;

// Headers every answer carries unless its handler set that header itself: no inline script,
// no framing, no sniffing, no referrer (ticket codes are in URLs).
inline constexpr std::pair<std::string_view, std::string_view> security_headers[] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
     "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
     "form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Permissions-Policy", "camera=(self), microphone=(), geolocation=()"}};

// A request target as the access log may keep it: no query string (search terms are names
// typed at the door), and ticket codes (secrets of their holders) cut after 8 characters.
[[nodiscard]] std::string redact(std::string_view target);
// The HTTP date of `t` (RFC 9110 IMF-fixdate), e.g. "Wed, 02 Dec 2026 05:00:00 GMT".
[[nodiscard]] std::string http_date(std::time_t t);

[[nodiscard]] response json_response(int status, boost::json::value const& body);
[[nodiscard]] response html_response(int status, std::string body);
[[nodiscard]] response redirect(std::string location, int status = 303);
// An uploaded image (PNG or SVG, checked on upload) as an image only: under its policy no script
// in an SVG runs and nothing outside it loads, even when it is opened on its own. The media type
// sent is one of those two, whatever `type` holds.
[[nodiscard]] response image_response(std::string_view type, std::string bytes, std::string_view cache_control);

// application/x-www-form-urlencoded (also the query part of a URL); false on bad encoding.
[[nodiscard]] bool parse_form(std::string_view body, fields& out);
// Splits a request target into decoded path and query; false when malformed.
[[nodiscard]] bool parse_target(std::string_view target, std::string& path, fields& query);
[[nodiscard]] std::string url_encode(std::string_view s);

}  // namespace einlass::server
