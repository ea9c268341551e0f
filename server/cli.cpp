#include "server/cli.hpp"

#include "checkin/migrate.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"
#include "server/app.hpp"
#include "server/demo.hpp"
#include "server/listener.hpp"
#include "server/log.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cstdio>
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
    "  einlass serve   --db PATH --listen HOST:PORT [--tls-cert PEM --tls-key PEM | --tls-self-signed]\n"
    "                  [--threads N] [--public-url URL] [--rate-limit PER_MINUTE] [--demo] [--quiet]\n"
    "  einlass user add   --db PATH --email E --role organiser|admin   (password on stdin)\n"
    "  einlass token create --db PATH --email E\n"
    "  einlass event create --db PATH --email E                        (event JSON on stdin)\n"
    "  einlass backup  --db PATH --to FILE\n";

// --name value pairs and bare --flags.
struct options {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  options(int argc, char** argv, int first, std::set<std::string> const& takes_value,
          std::set<std::string> const& known_flags) {
    for (int i = first; i < argc; ++i) {
      std::string a = argv[i];
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

int serve(options const& o) {
  config cfg;
  cfg.db_path = o.get("--db", cfg.db_path);
  auto listen = o.get("--listen", "127.0.0.1:8080");
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw usage_error("--listen takes HOST:PORT");
  cfg.host = listen.substr(0, colon);
  if (cfg.host.size() > 2 && cfg.host.front() == '[' && cfg.host.back() == ']') cfg.host = cfg.host.substr(1, cfg.host.size() - 2);
  cfg.port = static_cast<std::uint16_t>(to_int(listen.substr(colon + 1), "the port", 0, 65535));
  cfg.tls_cert = o.get("--tls-cert");
  cfg.tls_key = o.get("--tls-key");
  cfg.tls_self_signed = o.flags.contains("--tls-self-signed");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) throw usage_error("--tls-cert and --tls-key go together");
  if (cfg.tls_self_signed && !cfg.tls_cert.empty())
    throw usage_error("use either --tls-cert/--tls-key or --tls-self-signed");
  cfg.threads = to_int(o.get("--threads", "2"), "--threads", 1, 256);
  cfg.public_url = o.get("--public-url");
  cfg.rate_limit = to_int(o.get("--rate-limit", "60"), "--rate-limit", 0, 1000000);
  cfg.access_log = !o.flags.contains("--quiet");

  std::string demo_slug;
  if (o.flags.contains("--demo")) {
    auto db = open_migrated(cfg.db_path);
    demo_slug = ensure_demo_event(db);
  }
  app a(cfg);
  http_server server(a, make_router());
  auto port = server.start();
  server.stop_on_signals();
  std::string scheme = cfg.tls() ? "https" : "http";
  std::string host = cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]" : cfg.host;
  std::string base = cfg.public_url.empty() ? scheme + "://" + host + ":" + std::to_string(port) : cfg.public_url;
  std::printf("einlass listening on %s://%s:%u\n", scheme.c_str(), host.c_str(), port);
  if (!demo_slug.empty()) std::printf("Registration page: %s/e/%s\n", base.c_str(), demo_slug.c_str());
  std::printf("Health: %s/healthz\n", base.c_str());
  std::fflush(stdout);
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

int backup(options const& o) {
  auto to = o.need("--to");
  checkin::database src(o.get("--db", "einlass.db"), checkin::database::mode::read_only);
  checkin::database dst(to);
  sqlite3_backup* b = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
  if (!b) checkin::throw_db_error(dst.handle(), sqlite3_errcode(dst.handle()), "backup");
  // Small steps, so the running server's writer is never held up for long.
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) checkin::throw_db_error(dst.handle(), rc, "backup");
  std::fprintf(stderr, "backup written to %s\n", to.c_str());
  return 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    std::string cmd = argc > 1 ? argv[1] : "";
    std::string sub = argc > 2 ? argv[2] : "";
    if (cmd == "serve")
      return serve(options(argc, argv, 2,
                           {"--db", "--listen", "--tls-cert", "--tls-key", "--threads", "--public-url", "--rate-limit"},
                           {"--tls-self-signed", "--demo", "--quiet"}));
    if (cmd == "user" && sub == "add") return user_add(options(argc, argv, 3, {"--db", "--email", "--role"}, {}));
    if (cmd == "token" && sub == "create") return token_create(options(argc, argv, 3, {"--db", "--email"}, {}));
    if (cmd == "event" && sub == "create") return event_create(options(argc, argv, 3, {"--db", "--email"}, {}));
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
