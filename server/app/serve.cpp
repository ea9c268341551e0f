// einlass serve: the settings from the options, the demo, then the server until a signal.
#include "checkin/crypto.hpp"
#include "checkin/devices.hpp"
#include "checkin/mime.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"
#include "server/app/app.hpp"
#include "server/app/commands.hpp"
#include "server/app/demo.hpp"
#include "server/http/listener.hpp"
#include "server/http/log.hpp"
#include "server/http/tls.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <fstream>

namespace einlass::server {

namespace {

// The server's settings from its command line; a usage_error names the option at fault.
config serve_config(options const& o) {
  config cfg;
  cfg.db_path = o.get("--db", cfg.db_path);
  auto listen = o.get("--listen", "127.0.0.1:8080");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw usage_error("--listen takes HOST:PORT", "--listen");
  cfg.host = listen.substr(0, colon);
  if (cfg.host.size() > 2 && cfg.host.front() == '[' && cfg.host.back() == ']')
    cfg.host = cfg.host.substr(1, cfg.host.size() - 2);
  cfg.port = static_cast<std::uint16_t>(to_int(listen.substr(colon + 1), "--listen", 0, 65535));
  cfg.tls_cert = o.get("--tls-cert");
  cfg.tls_key = o.get("--tls-key");
  cfg.tls_self_signed = o.flags.contains("--tls-self-signed");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty())
    throw usage_error("--tls-cert and --tls-key go together", cfg.tls_cert.empty() ? "--tls-key" : "--tls-cert");
  if (cfg.tls_self_signed && !cfg.tls_cert.empty())
    throw usage_error("use either --tls-cert/--tls-key or --tls-self-signed", "--tls-self-signed");
  cfg.threads = to_int(o.get("--threads", "2"), "--threads", 1, 256);
  cfg.public_url = o.get("--public-url");
  auto proxies = address_list(o.get("--trusted-proxy"));  // the reverse proxies in front
  if (!proxies) throw usage_error("--trusted-proxy takes IP addresses, separated by commas", "--trusted-proxy");
  cfg.trusted_proxies = std::move(*proxies);
  cfg.rate_limit = to_int(o.get("--rate-limit", "60"), "--rate-limit", 0, 1000000);
  cfg.access_log = !o.flags.contains("--quiet");
  cfg.allow_private_webhooks = o.flags.contains("--allow-private-webhooks");
  cfg.smtp_host = o.get("--smtp");
  if (!cfg.smtp_host.empty() && cfg.smtp_host.find(':') == std::string::npos)
    throw usage_error("--smtp takes HOST:PORT", "--smtp");
  cfg.smtp_security = o.get("--smtp-security", "starttls");
  if (cfg.smtp_security != "starttls" && cfg.smtp_security != "tls" && cfg.smtp_security != "none")
    throw usage_error("--smtp-security is starttls, tls or none", "--smtp-security");
  cfg.smtp_user = o.get("--smtp-user");
  if (auto file = o.get("--smtp-password-file"); !file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::getline(in, cfg.smtp_password);
  }
  if (cfg.smtp_user.empty() != cfg.smtp_password.empty())
    throw usage_error("--smtp-user and --smtp-password-file go together", "--smtp-user");
  if (auto file = o.get("--metrics-token-file"); !file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::getline(in, cfg.metrics_token);
    while (!cfg.metrics_token.empty() && std::isspace(static_cast<unsigned char>(cfg.metrics_token.back())))
      cfg.metrics_token.pop_back();
    if (cfg.metrics_token.size() < 16)
      throw usage_error("--metrics-token-file needs a token of 16 characters or more", "--metrics-token-file");
  }
  cfg.smtp_ca_file = o.get("--smtp-ca-file");
  if (!cfg.smtp_ca_file.empty() && !std::ifstream(cfg.smtp_ca_file))
    throw std::runtime_error("cannot read " + cfg.smtp_ca_file);
  cfg.mail_from = o.get("--mail-from", cfg.mail_from);
  if (checkin::address_of(cfg.mail_from).find('@') == std::string::npos)
    throw usage_error("--mail-from needs an address", "--mail-from");
  if (std::any_of(cfg.mail_from.begin(), cfg.mail_from.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    throw usage_error("--mail-from must be one line", "--mail-from");
  cfg.mail_dir = o.get("--mail-dir");
  cfg.max_connections = to_int(o.get("--max-connections", "10000"), "--max-connections", 10, 1000000);
  cfg.mail_retry_seconds = to_int(o.get("--mail-retry-seconds", "30"), "--mail-retry-seconds", 1, 3600);
  auto format = o.get("--log-format", "text");
  if (format != "text" && format != "json") throw usage_error("--log-format is text or json", "--log-format");
  set_log_format(format == "json" ? log_format::json : log_format::text);

  return cfg;
}

// What --demo prints once: the demo event, a fresh door device's pairing code and a fresh
// password for the demo organiser.
struct demo_start {
  std::string slug, pairing, password;
};

demo_start prepare_demo(std::string const& db_path) {
  demo_start d;
  auto db = open_database(db_path);
  d.slug = ensure_demo_event(db);
  checkin::transaction tx(db);
  auto dev = checkin::create_device(db, checkin::find_event(db, d.slug)->id, "Demo-Tablet", 0, checkin::now());
  d.password = checkin::random_token(10);
  (void)checkin::upsert_user(db, demo_organiser, "organiser", d.password);
  tx.commit();
  if (dev) d.pairing = dev->pairing_code;
  return d;
}

void set_process_limits() {
  // A file-size limit (ulimit -f) must give a write error, not kill the server.
  std::signal(SIGXFSZ, SIG_IGN);
  // Every connection is a file descriptor: the default soft limit (often 1,024) would let a
  // crowd of idle clients stop new ones from being accepted.
  if (rlimit lim{}; ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// Links need an address a tablet can reach: on a wildcard listen address, the machine's
// first address that is not loopback (--public-url overrides it).
std::string link_host_of(std::string const& listen_host) {
  if (listen_host != "0.0.0.0" && listen_host != "::") return listen_host;
  for (auto const& n : machine_names())
    if (n != "localhost" && n != "::1" && !n.starts_with("127.") &&
        n.find_first_not_of("0123456789.") == std::string::npos)
      return n;
  return listen_host;
}

void print_urls(config const& cfg, std::string const& scheme, std::string const& host, unsigned port,
                std::string const& base, demo_start const& demo) {
  std::printf("einlass listening on %s://%s:%u\n", scheme.c_str(), host.c_str(), port);
  if (cfg.tls_self_signed)
    std::printf(
        "Door tablets: trust this server's local certificate authority once, from %s/ca.crt "
        "(docs/operations.md says how on iPad and Android)\n",
        base.c_str());
  if (!demo.slug.empty()) {
    std::printf("Registration page: %s/e/%s\n", base.c_str(), demo.slug.c_str());
    std::printf("The network that invites, with imprint and privacy notice: %s/o/iq-sachsen\n", base.c_str());
    std::printf("Door tablet, pair it here first: %s/checkin/pair/%s\n", base.c_str(), demo.pairing.c_str());
    std::printf("Door page: %s/checkin\n", base.c_str());
    std::printf("Organiser workspace: %s/admin (e-mail %s, password %s)\n", base.c_str(),
                std::string(demo_organiser).c_str(), demo.password.c_str());
  }
  std::printf("Health: %s/healthz\n", base.c_str());
  std::fflush(stdout);
}

}  // namespace

int serve(options const& o) {
  auto cfg = serve_config(o);
  demo_start demo;
  if (o.flags.contains("--demo")) demo = prepare_demo(cfg.db_path);
  set_process_limits();
  app a(cfg);
  http_server server(a, make_router());
  auto port = server.start();
  server.stop_on_signals();
  std::string scheme = cfg.tls() ? "https" : "http";
  auto link_host = link_host_of(cfg.host);
  std::string host = link_host.find(':') != std::string::npos ? "[" + link_host + "]" : link_host;
  std::string base = cfg.public_url.empty() ? scheme + "://" + host + ":" + std::to_string(port) : cfg.public_url;
  a.set_listen_url(scheme + "://" + host + ":" + std::to_string(port));
  a.start_mail();
  print_urls(cfg, scheme, host, port, base, demo);
  server.run();
  a.stop_writer();
  log_line("stopped");
  return 0;
}

}  // namespace einlass::server
