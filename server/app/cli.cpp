#include "server/app/cli.hpp"

#include "checkin/crypto.hpp"
#include "checkin/devices.hpp"
#include "checkin/migrate.hpp"
#include "checkin/mime.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"
#include "server/app/app.hpp"
#include "server/app/demo.hpp"
#include "server/http/listener.hpp"
#include "server/http/log.hpp"
#include "server/http/tls.hpp"

#include <boost/json.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>

namespace einlass::server {

namespace {

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr char usage_text[] =
    "usage:\n"
    "  (--db takes a SQLite file or a postgresql:// URL; --database is the same option)\n"
    "  einlass serve   --db PATH --listen HOST:PORT [--tls-cert PEM --tls-key PEM | --tls-self-signed]\n"
    "                  [--threads N] [--public-url URL] [--rate-limit PER_MINUTE] [--demo] [--quiet]\n"
    "                  [--trusted-proxy ADDRESS,...]\n"
    "                  [--smtp HOST:PORT [--smtp-security starttls|tls|none] [--smtp-user U --smtp-password-file F]\n"
    "                   [--smtp-ca-file PEM]]\n"
    "                  [--mail-from 'Name <address>'] [--mail-dir DIR] [--max-connections N]\n"
    "  einlass user add   --db PATH --email E --role organiser|admin   (password on stdin)\n"
    "  einlass token create --db PATH --email E\n"
    "  einlass event create --db PATH --email E                        (event JSON on stdin)\n"
    "  einlass device add    --db PATH --event SLUG --name NAME [--list SESSION_ID] [--public-url URL]\n"
    "  einlass device list   --db PATH --event SLUG\n"
    "  einlass device revoke --db PATH --event SLUG --id ID\n"
    "  einlass backup  --db PATH --to FILE                             (SQLite; PostgreSQL: pg_dump)\n";

// --name value pairs and bare --flags.
struct options {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  options(int argc, char** argv, int first, std::set<std::string> const& takes_value,
          std::set<std::string> const& known_flags) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
      // --database is --db by its longer name: a SQLite file or a postgresql:// URL.
      if (a == "--database" && takes_value.contains("--db")) {
        if (values.contains("--db")) throw usage_error("give --db or --database, not both");
        a = "--db";
      }
      if (known_flags.contains(a)) flags.insert(a);
      else if (takes_value.contains(a)) {
        if (i + 1 >= argc) throw usage_error(a + " needs a value");
        values[a] = argv[++i];
      } else throw usage_error("unknown option " + a);
    }
  }
  std::string get(std::string const& name, std::string fallback = {}) const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  std::string need(std::string const& name) const {
    auto it = values.find(name);
    if (it == values.end() || it->second.empty()) throw usage_error(name + " is required");
    return it->second;
  }
};

int to_int(std::string const& s, std::string const& name, int min, int max) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max)
    throw usage_error(name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max));
  return v;
}

checkin::database open_migrated(std::string const& path) {
  checkin::database db(path);
  checkin::migrate(db);
  return db;
}

std::string read_stdin() { return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}; }

// The server's settings from its command line; a usage_error names the option at fault.
config serve_config(options const& o) {
  config cfg;
  cfg.db_path = o.get("--db", cfg.db_path);
  auto listen = o.get("--listen", "127.0.0.1:8080");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw usage_error("--listen takes HOST:PORT");
  cfg.host = listen.substr(0, colon);
  if (cfg.host.size() > 2 && cfg.host.front() == '[' && cfg.host.back() == ']')
    cfg.host = cfg.host.substr(1, cfg.host.size() - 2);
  cfg.port = static_cast<std::uint16_t>(to_int(listen.substr(colon + 1), "the port", 0, 65535));
  cfg.tls_cert = o.get("--tls-cert");
  cfg.tls_key = o.get("--tls-key");
  cfg.tls_self_signed = o.flags.contains("--tls-self-signed");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) throw usage_error("--tls-cert and --tls-key go together");
  if (cfg.tls_self_signed && !cfg.tls_cert.empty())
    throw usage_error("use either --tls-cert/--tls-key or --tls-self-signed");
  cfg.threads = to_int(o.get("--threads", "2"), "--threads", 1, 256);
  cfg.public_url = o.get("--public-url");
  auto proxies = address_list(o.get("--trusted-proxy"));  // the reverse proxies in front
  if (!proxies) throw usage_error("--trusted-proxy takes IP addresses, separated by commas");
  cfg.trusted_proxies = std::move(*proxies);
  cfg.rate_limit = to_int(o.get("--rate-limit", "60"), "--rate-limit", 0, 1000000);
  cfg.access_log = !o.flags.contains("--quiet");
  cfg.smtp_host = o.get("--smtp");
  if (!cfg.smtp_host.empty() && cfg.smtp_host.find(':') == std::string::npos)
    throw usage_error("--smtp takes HOST:PORT");
  cfg.smtp_security = o.get("--smtp-security", "starttls");
  if (cfg.smtp_security != "starttls" && cfg.smtp_security != "tls" && cfg.smtp_security != "none")
    throw usage_error("--smtp-security is starttls, tls or none");
  cfg.smtp_user = o.get("--smtp-user");
  if (auto file = o.get("--smtp-password-file"); !file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::getline(in, cfg.smtp_password);
  }
  if (cfg.smtp_user.empty() != cfg.smtp_password.empty())
    throw usage_error("--smtp-user and --smtp-password-file go together");
  if (auto file = o.get("--metrics-token-file"); !file.empty()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    std::getline(in, cfg.metrics_token);
    while (!cfg.metrics_token.empty() && std::isspace(static_cast<unsigned char>(cfg.metrics_token.back())))
      cfg.metrics_token.pop_back();
    if (cfg.metrics_token.size() < 16) throw usage_error("--metrics-token-file needs a token of 16 characters or more");
  }
  cfg.smtp_ca_file = o.get("--smtp-ca-file");
  if (!cfg.smtp_ca_file.empty() && !std::ifstream(cfg.smtp_ca_file))
    throw std::runtime_error("cannot read " + cfg.smtp_ca_file);
  cfg.mail_from = o.get("--mail-from", cfg.mail_from);
  if (checkin::address_of(cfg.mail_from).find('@') == std::string::npos)
    throw usage_error("--mail-from needs an address");
  if (std::any_of(cfg.mail_from.begin(), cfg.mail_from.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
    throw usage_error("--mail-from must be one line");
  cfg.mail_dir = o.get("--mail-dir");
  cfg.max_connections = to_int(o.get("--max-connections", "10000"), "--max-connections", 10, 1000000);
  cfg.mail_retry_seconds = to_int(o.get("--mail-retry-seconds", "30"), "--mail-retry-seconds", 1, 3600);

  return cfg;
}

// What --demo prints once: the demo event, a fresh door device's pairing code and a fresh
// password for the demo organiser.
struct demo_start {
  std::string slug, pairing, password;
};

demo_start prepare_demo(std::string const& db_path) {
  demo_start d;
  auto db = open_migrated(db_path);
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
    std::printf("Door tablet, pair it here first: %s/checkin/pair/%s\n", base.c_str(), demo.pairing.c_str());
    std::printf("Door page: %s/checkin\n", base.c_str());
    std::printf("Organiser workspace: %s/admin (e-mail %s, password %s)\n", base.c_str(),
                std::string(demo_organiser).c_str(), demo.password.c_str());
  }
  std::printf("Health: %s/healthz\n", base.c_str());
  std::fflush(stdout);
}

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

int user_add(options const& o) {
  auto role = o.need("--role");
  if (role != "organiser" && role != "admin") throw usage_error("--role is organiser or admin");
  auto email = o.need("--email");
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < 8) throw std::runtime_error("the password (on stdin) must have at least 8 characters");
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto u = checkin::upsert_user(db, email, role, password);
  std::fprintf(stderr, "user %s is %s\n", u.email.c_str(), u.role.c_str());
  return 0;
}

int token_create(options const& o) {
  auto email = o.need("--email");
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto u = checkin::find_user(db, email);
  if (!u) throw std::runtime_error("no user " + email + "; add one with: einlass user add");
  std::printf("%s\n", checkin::create_api_token(db, u->id).c_str());
  return 0;
}

int event_create(options const& o) {
  auto email = o.need("--email");
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto u = checkin::find_user(db, email);
  if (!u) throw std::runtime_error("no user " + email + "; add one with: einlass user add");
  boost::system::error_code ec;
  auto v = boost::json::parse(read_stdin(), ec);
  if (ec) throw std::runtime_error("the event on stdin is not valid JSON: " + ec.message());
  auto e = checkin::event_from_json(v);
  if (!e) {
    auto const f = e.error().fields.front();  // error() returns a copy
    throw std::runtime_error("invalid event: " + f.field + ": " + f.reason);
  }
  checkin::transaction tx(db);
  auto created = checkin::create_event(db, std::move(*e), u->id, checkin::now());
  if (!created) throw std::runtime_error("invalid event: slug is taken");
  tx.commit();
  std::printf("%s\n", boost::json::serialize(checkin::event_to_json(*created, true)).c_str());
  return 0;
}

checkin::event event_for(checkin::database& db, std::string const& slug) {
  auto e = checkin::find_event(db, slug);
  if (!e) throw std::runtime_error("no event " + slug);
  return *e;
}

// Prints the pairing link (and its QR code as text for a terminal) of a new door device.
int device_add(options const& o) {
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto e = event_for(db, o.need("--event"));
  std::int64_t list = o.values.contains("--list") ? to_int(o.get("--list"), "--list", 1, 1 << 30) : 0;
  checkin::transaction tx(db);
  auto made = checkin::create_device(db, e.id, o.need("--name"), list, checkin::now());
  if (!made) {
    auto const f = made.error().fields.front();
    throw std::runtime_error("invalid device: " + f.field + ": " + f.reason);
  }
  tx.commit();
  auto base = o.get("--public-url", "https://127.0.0.1:8443");
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto url = base + "/checkin/pair/" + made->pairing_code;
  auto q = checkin::make_qr(url);
  std::string art;
  for (int y = -2; y < q.size + 2; y += 2) {  // two rows of modules per line of text
    for (int x = -2; x < q.size + 2; ++x) {
      auto dark = [&](int yy) { return x >= 0 && yy >= 0 && x < q.size && yy < q.size && q.dark(x, yy); };
      bool top = dark(y), bottom = dark(y + 1);
      art += top && bottom ? " " : top ? "\u2584" : bottom ? "\u2580" : "\u2588";
    }
    art += '\n';
  }
  std::printf("device %lld \"%s\" for %s\npairing link (valid 72 h, once): %s\ndevice token (for scripts): %s\n%s",
              static_cast<long long>(made->dev.id), made->dev.name.c_str(), e.slug.c_str(), url.c_str(),
              made->token.c_str(), art.c_str());
  return 0;
}

int device_list(options const& o) {
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto e = event_for(db, o.need("--event"));
  for (auto const& d : checkin::event_devices(db, e.id))
    std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(d.id), d.name.c_str(),
                d.list_id == 0 ? "event" : std::to_string(d.list_id).c_str(),
                d.revoked_at  ? "revoked"
                : d.paired_at ? "paired"
                              : "not paired");
  return 0;
}

int device_revoke(options const& o) {
  auto db = open_migrated(o.get("--db", "einlass.db"));
  auto e = event_for(db, o.need("--event"));
  auto id = to_int(o.need("--id"), "--id", 1, 1 << 30);
  checkin::transaction tx(db);
  if (!checkin::revoke_device(db, e.id, id, checkin::now()))
    throw std::runtime_error("no device " + std::to_string(id) + " for " + e.slug);
  tx.commit();
  std::fprintf(stderr, "device %d revoked\n", id);
  return 0;
}

int backup(options const& o) {
  auto to = o.need("--to");
  auto from = o.get("--db", "einlass.db");
  if (checkin::is_postgresql_url(from))
    throw std::runtime_error(
        "einlass backup copies a SQLite file; back up PostgreSQL with pg_dump -Fc (docs/scaling.md)");
  checkin::database src(from, checkin::database::mode::read_only);
  src.backup_to(to);
  std::fprintf(stderr, "backup written to %s\n", to.c_str());
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    std::string cmd = argc > 1 ? argv[1] : "";
    std::string sub = argc > 2 ? argv[2] : "";
    if (cmd == "serve")
      return serve(
          options(argc, argv, 2,
                  {"--db", "--listen", "--tls-cert", "--tls-key", "--threads", "--public-url", "--trusted-proxy",
                   "--rate-limit", "--smtp", "--smtp-security", "--smtp-user", "--smtp-password-file", "--smtp-ca-file",
                   "--mail-from", "--mail-dir", "--mail-retry-seconds", "--max-connections", "--metrics-token-file"},
                  {"--tls-self-signed", "--demo", "--quiet"}));
    if (cmd == "user" && sub == "add") return user_add(options(argc, argv, 3, {"--db", "--email", "--role"}, {}));
    if (cmd == "token" && sub == "create") return token_create(options(argc, argv, 3, {"--db", "--email"}, {}));
    if (cmd == "event" && sub == "create") return event_create(options(argc, argv, 3, {"--db", "--email"}, {}));
    if (cmd == "device" && sub == "add")
      return device_add(options(argc, argv, 3, {"--db", "--event", "--name", "--list", "--public-url"}, {}));
    if (cmd == "device" && sub == "list") return device_list(options(argc, argv, 3, {"--db", "--event"}, {}));
    if (cmd == "device" && sub == "revoke")
      return device_revoke(options(argc, argv, 3, {"--db", "--event", "--id"}, {}));
    if (cmd == "backup") return backup(options(argc, argv, 2, {"--db", "--to"}, {}));
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      std::fputs(usage_text, stdout);
      return 0;
    }
    throw usage_error(cmd.empty() ? "no command given" : "unknown command " + cmd);
  } catch (usage_error const& e) {
    std::fprintf(stderr, "einlass: %s (einlass --help lists the commands)\n", e.what());
    return 2;
  } catch (std::exception const& e) {
    std::fprintf(stderr, "einlass: %s\n", e.what());
    return 1;
  }
}

}  // namespace einlass::server
