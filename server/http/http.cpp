#include "server/http/http.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace einlass::server {

std::string_view request::header(std::string_view name) const {
  for (auto const& [k, v] : headers)
    if (k == name) return v;
  return {};
}

std::optional<std::string_view> request::query_value(std::string_view name) const {
  for (auto const& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::string_view> request::cookie(std::string_view name) const {
  std::string_view c = header("cookie");
  while (!c.empty()) {
    auto semi = c.find(';');
    auto part = c.substr(0, semi);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (semi == std::string_view::npos) break;
    c.remove_prefix(semi + 1);
  }
  return std::nullopt;
}

std::string_view request::param(std::string_view name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view request::bearer() const {
  auto h = header("authorization");
  constexpr std::string_view prefix = "Bearer ";
  return h.starts_with(prefix) ? h.substr(prefix.size()) : std::string_view();
}

file_body::file_body(int f) : fd(f) {
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0) size = static_cast<std::uint64_t>(st.st_size);
  if (fd >= 0) ::lseek(fd, 0, SEEK_SET);
}

file_body::~file_body() {
  if (fd >= 0) ::close(fd);
}

response& response::set(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (k == name) {
      v = std::move(value);
      return *this;
    }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string_view response::header(std::string_view name) const {
  for (auto const& [k, v] : headers)
    if (k == name) return v;
  return {};
}

namespace {
bool plausible_ip(std::string_view a) {
  return !a.empty() && a.size() <= 45 && a.find_first_not_of("0123456789abcdefABCDEF.:") == std::string_view::npos;
}
}  // namespace

std::optional<std::vector<std::string>> address_list(std::string_view list) {
  std::vector<std::string> out;
  if (list.empty()) return out;
  for (;;) {
    auto comma = list.find(',');
    auto part = list.substr(0, comma);
    if (!plausible_ip(part)) return std::nullopt;
    out.emplace_back(part);
    if (comma == std::string_view::npos) return out;
    list.remove_prefix(comma + 1);
  }
}

void apply_forwarded(request& r, std::vector<std::string> const& trusted) {
  auto is_trusted = [&](std::string_view a) { return std::find(trusted.begin(), trusted.end(), a) != trusted.end(); };
  if (!is_trusted(r.remote)) return;
  // All X-Forwarded-For headers, as one comma-separated list in order.
  std::vector<std::string_view> hops;
  for (auto const& [name, value] : r.headers) {
    if (name != "x-forwarded-for") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto part = rest.substr(0, comma);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      hops.push_back(part);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  for (auto k = hops.size(); k-- > 0;) {  // from the right: the nearest hop first
    auto hop = hops[k];
    if (is_trusted(hop)) continue;
    if (plausible_ip(hop)) r.remote = std::string(hop);
    break;
  }
  if (r.header("x-forwarded-proto") == "https") r.secure = true;
}

bool header_safe(std::string_view s) noexcept {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string_view unsafe_header(response const& r) noexcept {
  for (auto const& [k, v] : r.headers)
    if (!header_safe(k) || !header_safe(v) || k.empty()) return k.empty() ? std::string_view("(empty name)") : k;
  return {};
}

bool plausible_host(std::string_view host) noexcept {
  if (host.size() > 255) return false;
  if (host.empty()) return true;
  std::string_view name = host, port;
  if (host.front() == '[') {  // [IPv6]:port
    auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    auto inner = host.substr(1, close - 1);
    if (inner.empty() || inner.find_first_not_of("0123456789abcdefABCDEF:.") != std::string_view::npos) return false;
    auto rest = host.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return false;
    port = rest.empty() ? rest : rest.substr(1);
    name = {};
  } else if (auto colon = host.rfind(':'); colon != std::string_view::npos) {
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
    if (port.empty()) return false;
  }
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  if (host.front() == '[') return true;
  if (name.empty() || name.front() == '.' || name.front() == '-') return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return true;
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[40];
  auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);  // the C locale's names
  return std::string(buf, n);
}

response json_response(int status, boost::json::value const& body) {
  response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.set("Content-Type", "application/json; charset=utf-8");
  return r;
}

response image_response(std::string_view type, std::string bytes, std::string_view cache_control) {
  response r;
  r.body = std::move(bytes);
  r.set("Content-Type", type == "image/svg+xml" ? "image/svg+xml" : "image/png");
  r.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  r.set("Content-Disposition", "inline");
  r.set("Cache-Control", std::string(cache_control));
  return r;
}

response html_response(int status, std::string body) {
  response r;
  r.status = status;
  r.body = std::move(body);
  r.set("Content-Type", "text/html; charset=utf-8");
  r.set("Cache-Control", "no-store");
  return r;
}

response redirect(std::string location, int status) {
  response r;
  r.status = status;
  r.set("Location", std::move(location));
  return r;
}

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+' && plus_is_space) out += ' ';
    else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = hex(in[i + 1]), l = hex(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else out += c;
  }
  return true;
}

}  // namespace

bool parse_form(std::string_view body, fields& out) {
  out.clear();
  while (!body.empty()) {
    auto amp = body.find('&');
    auto part = body.substr(0, amp);
    if (!part.empty()) {
      auto eq = part.find('=');
      std::string k, v;
      if (!decode(part.substr(0, eq), k, true)) return false;
      if (eq != std::string_view::npos && !decode(part.substr(eq + 1), v, true)) return false;
      out.emplace_back(std::move(k), std::move(v));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return true;
}

bool parse_target(std::string_view target, std::string& path, fields& query) {
  auto u = boost::urls::parse_origin_form(target);
  if (!u) return false;
  path = u->path();
  query.clear();
  if (u->has_query()) return parse_form(u->encoded_query(), query);
  return true;
}

std::string url_encode(std::string_view s) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string redact(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::string out;
  std::size_t run = 0;
  for (char c : target) {
    bool b32 = (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
    run = b32 ? run + 1 : 0;
    if (run <= 8) out += c;
    else if (run == 9) out += "...";
  }
  return out;
}

}  // namespace einlass::server
