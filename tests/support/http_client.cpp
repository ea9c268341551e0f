#include "tests/support/http_client.hpp"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace einlass::test {

std::string http_result::header(std::string const& name) const {
  for (auto const& [k, v] : headers)
    if (k == name) return v;
  return {};
}

boost::json::value http_result::json() const { return boost::json::parse(body); }

std::optional<http_client> try_connect(std::uint16_t port) {
  try {
    return http_client(port);
  } catch (std::runtime_error const&) {
    return std::nullopt;
  }
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string error_code(http_result const& r) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec || !v.is_object()) return {};
  auto const* error = v.as_object().if_contains("error");
  auto const* code = error && error->is_object() ? error->as_object().if_contains("code") : nullptr;
  return code && code->is_string() ? std::string(code->as_string()) : std::string();
}

http_client::http_client(std::uint16_t port) : port_(port) { connect(); }

http_client::http_client(http_client&& o) noexcept
    : port_(o.port_), fd_(std::exchange(o.fd_, -1)), buffer_(std::move(o.buffer_)) {}

http_client::~http_client() {
  if (fd_ >= 0) ::close(fd_);
}

void http_client::connect() {
  if (fd_ >= 0) ::close(fd_);
  buffer_.clear();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port_));
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  timeval tv{10, 0};  // no test waits forever on a silent server
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

void http_client::send(std::string const& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

http_result http_client::read_response(bool head_only) {
  http_result r;
  auto fill = [&]() {
    char buf[16384];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  };
  std::size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return r;  // closed: status 0
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  auto line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  r.status = std::stoi(status_line.substr(9, 3));
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto e = head.find("\r\n", pos);
    if (e == std::string::npos) e = head.size();
    auto line = head.substr(pos, e - pos);
    auto colon = line.find(':');
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    r.headers.emplace_back(name, value);
    pos = e + 2;
  }
  if (r.status == 100) return read_response(head_only);
  std::size_t length = 0;
  if (auto cl = r.header("content-length"); !cl.empty() && !head_only) length = std::stoul(cl);
  while (buffer_.size() < length)
    if (!fill()) break;
  r.body = buffer_.substr(0, length);
  buffer_.erase(0, std::min(length, buffer_.size()));
  return r;
}

http_result http_client::request(std::string const& method, std::string const& target, std::string const& body,
                                 std::vector<std::pair<std::string, std::string>> const& headers) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  for (auto const& [k, v] : headers) req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST") req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      send(req);
      auto r = read_response(method == "HEAD");
      if (r.status != 0) {
        if (r.header("connection") == "close") connect();
        return r;
      }
    } catch (std::runtime_error const&) {}
    connect();  // the server closed an idle keep-alive connection: once more on a fresh one
  }
  throw std::runtime_error("no response to " + method + " " + target);
}

http_result http_client::post_json(std::string const& target, boost::json::value const& body,
                                   std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Content-Type", "application/json");
  return request("POST", target, boost::json::serialize(body), headers);
}

http_result http_client::post_form(std::string const& target, std::string const& body) {
  return request("POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

http_result http_client::raw(std::string const& bytes) {
  try {
    send(bytes);
  } catch (std::runtime_error const&) {
    // The server answered and closed before taking it all (a body over the limit gets its
    // 413 at once): what it said is still to be read, as a browser reads it.
  }
  return read_response();
}

bool http_client::closed_by_server(int timeout_ms) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return false;
  char c;
  return ::recv(fd_, &c, 1, MSG_PEEK) == 0;
}

}  // namespace einlass::test
