#pragma once
#include "checkin/db.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace einlass::server {

struct config {
  std::string db_path = "einlass.db";  // a SQLite file, or a postgresql:// URL
  // Reverse proxies (load balancers) whose X-Forwarded-For and X-Forwarded-Proto are believed.
  std::vector<std::string> trusted_proxies;
  // Where files that belong with the database go (the self-signed certificate and its CA):
  // beside a SQLite file, or einlass.* in the working folder for PostgreSQL.
  [[nodiscard]] std::string files_base() const { return checkin::is_postgresql_url(db_path) ? "einlass" : db_path; }
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string tls_cert, tls_key;  // PEM files; both or neither
  bool tls_self_signed = false;
  int threads = 2;
  std::string public_url;  // e.g. https://einlass.example.org; derived from the request when empty
  int rate_limit = 60;     // anonymous writes per client address and minute; 0 = off
  std::size_t body_limit = 1 << 20;
  int read_timeout_seconds = 30;  // to send a request's headers and body, and for each write of an answer
  int max_connections = 10000;    // open at once; more are closed on arrival
  bool access_log = true;
  bool allow_private_webhooks = false;  // webhooks may target loopback and private networks
  // /metrics answers loopback clients, and others only with "Authorization: Bearer" of this
  // token (--metrics-token-file); empty: loopback only.
  std::string metrics_token;
  // E-mail: an SMTP server, or a folder for .eml files (demo), or neither (mails wait in the outbox).
  std::string smtp_host;                   // host:port
  std::string smtp_security = "starttls";  // starttls (required) | tls (implicit, smtps) | none (a local relay)
  std::string smtp_user, smtp_password;
  std::string smtp_ca_file;  // PEM: trust these for the mail server's certificate (else the system's)
  std::string mail_from = "Einlass <einlass@localhost>";
  std::string mail_dir;
  int mail_retry_seconds = 30;     // the first pause after a failed attempt; it doubles each time
  int webhook_retry_seconds = 10;  // the same for webhook deliveries (tests shorten both)
  [[nodiscard]] bool mail() const { return !smtp_host.empty() || !mail_dir.empty(); }
  [[nodiscard]] bool tls() const { return tls_self_signed || !tls_cert.empty(); }
};

}  // namespace einlass::server
