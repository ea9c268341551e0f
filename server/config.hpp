#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace einlass::server {

struct config {
  std::string db_path = "einlass.db";
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string tls_cert, tls_key;  // PEM files; both or neither
  bool tls_self_signed = false;
  int threads = 2;
  std::string public_url;  // e.g. https://einlass.example.org; derived from the request when empty
  int rate_limit = 60;     // anonymous writes per client address and minute; 0 = off
  std::size_t body_limit = 1 << 20;
  int read_timeout_seconds = 30;
  bool access_log = true;
  [[nodiscard]] bool tls() const { return tls_self_signed || !tls_cert.empty(); }
};

}  // namespace einlass::server
