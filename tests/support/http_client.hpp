#pragma once
// A small blocking HTTP/1.1 client over POSIX sockets, for tests: real requests on
// loopback, and raw bytes when a test needs to send something malformed.
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace einlass::test {

// The Authorization header of a bearer token: an organiser's API token or a door device's.
inline std::vector<std::pair<std::string, std::string>> bearer(std::string const& token) {
  return {{"Authorization", "Bearer " + token}};
}

struct http_result {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case
  std::string body;
  [[nodiscard]] std::string header(std::string const& name) const;
  [[nodiscard]] boost::json::value json() const;
};

// Text for a query string: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded.
[[nodiscard]] std::string url_encode(std::string_view text);

// The code of an error answer (`{"error": {"code": ...}}`), empty for any other answer.
[[nodiscard]] std::string error_code(http_result const& r);

class http_client;
// A client for 127.0.0.1:port, or none when nothing listens there (a server killed already).
[[nodiscard]] std::optional<http_client> try_connect(std::uint16_t port);

class http_client {
 public:
  explicit http_client(std::uint16_t port);
  http_client(http_client&& o) noexcept;
  ~http_client();

  // One request on this client's keep-alive connection (reconnects when it was closed).
  http_result request(std::string const& method, std::string const& target, std::string const& body = {},
                      std::vector<std::pair<std::string, std::string>> const& headers = {});
  http_result get(std::string const& target, std::vector<std::pair<std::string, std::string>> const& headers = {}) {
    return request("GET", target, {}, headers);
  }
  http_result post_json(std::string const& target, boost::json::value const& body,
                        std::vector<std::pair<std::string, std::string>> headers = {});
  http_result post_form(std::string const& target, std::string const& body);

  // Sends bytes as they are and reads one response (status 0 when the server just closed).
  http_result raw(std::string const& bytes);
  // Sends bytes without reading.
  void send(std::string const& bytes);
  // Reads one response (a HEAD response has no body to read).
  http_result read_response(bool head_only = false);
  // True when the server has closed the connection (reads EOF within the timeout).
  bool closed_by_server(int timeout_ms = 2000);

 private:
  void connect();
  std::uint16_t port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace einlass::test
