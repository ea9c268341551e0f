// The commands besides serve: accounts, tokens, events, door devices, backups.
#include "server/app/commands.hpp"

#include "checkin/devices.hpp"
#include "checkin/migrate.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"

#include <boost/json.hpp>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <vector>

#ifndef EINLASS_VERSION
#define EINLASS_VERSION "unknown"
#endif

namespace einlass::server {

std::string options::get(std::string const& name, std::string fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second;
}

std::string options::need(std::string const& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) throw usage_error(name + " is required", name);
  return it->second;
}

int to_int(std::string const& s, std::string const& name, int min, int max) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max)
    throw usage_error(name + " must be a number from " + std::to_string(min) + " to " + std::to_string(max), name);
  return v;
}

std::string version_text() {
  return std::string("einlass ") + EINLASS_VERSION + " (database schema " +
         std::to_string(checkin::schema_migrations().size()) + ")";
}

namespace {

// Run as root (an admin on the server, `sudo einlass user add …`), a command acts as the user
// who owns the SQLite database (the service's `einlass`): files SQLite makes beside it (the
// write-ahead log, its index) must stay the service's, or the service can no longer open them.
void act_as_owner_of(std::string const& db_path) {
  if (::geteuid() != 0 || checkin::is_postgresql_url(db_path)) return;
  struct stat st {};
  auto parent = std::filesystem::absolute(db_path).parent_path().string();
  if (::stat(db_path.c_str(), &st) != 0 && ::stat(parent.c_str(), &st) != 0) return;
  if (st.st_uid == 0) return;
  if (::setgroups(0, nullptr) != 0 || ::setgid(st.st_gid) != 0 || ::setuid(st.st_uid) != 0)
    throw std::runtime_error("cannot act as the owner of " + db_path + " (uid " + std::to_string(st.st_uid) + ")");
  auto const* pw = ::getpwuid(st.st_uid);
  std::fprintf(stderr, "einlass: acting as user %s, who owns %s\n",
               pw ? pw->pw_name : std::to_string(st.st_uid).c_str(), db_path.c_str());
}

std::string read_stdin() { return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()}; }

checkin::user user_named(checkin::database& db, std::string const& email) {
  auto u = checkin::find_user(db, email);
  if (!u) throw std::runtime_error("no user " + email + "; add one with: einlass user add");
  return *u;
}

checkin::event event_for(checkin::database& db, std::string const& slug) {
  auto e = checkin::find_event(db, slug);
  if (!e) throw std::runtime_error("no event " + slug);
  return *e;
}

// PRAGMA integrity_check on a copy: "ok", or what is wrong.
std::string integrity_of(std::string const& path) {
  checkin::database copy(path);  // not read-only: closing it removes its -wal and -shm
  return copy.integrity_check();
}

// One checked copy at `to`: written beside it first, renamed when it is whole and sound.
void checked_copy(checkin::database const& src, std::string const& to) {
  auto partial = to + ".partial";
  src.backup_to(partial);
  if (auto verdict = integrity_of(partial); verdict != "ok") {
    std::filesystem::remove(partial);
    throw std::runtime_error("the copy failed its integrity check (" + verdict + "); nothing kept");
  }
  std::filesystem::rename(partial, to);
}

// einlass-YYYYMMDD-HHMMSS.db, in UTC: sorts by time.
std::string backup_name() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char name[40];
  std::strftime(name, sizeof name, "einlass-%Y%m%d-%H%M%S.db", &utc);
  return name;
}

// Deletes all but the newest `keep` backups Einlass made in `dir`; other files stay.
int prune_backups(std::string const& dir, int keep) {
  std::vector<std::filesystem::path> ours;
  for (auto const& f : std::filesystem::directory_iterator(dir)) {
    auto name = f.path().filename().string();
    if (f.is_regular_file() && name.starts_with("einlass-") && name.ends_with(".db")) ours.push_back(f.path());
  }
  std::sort(ours.begin(), ours.end(), [](auto const& a, auto const& b) {  // oldest first
    return std::pair(std::filesystem::last_write_time(a), a) < std::pair(std::filesystem::last_write_time(b), b);
  });
  int removed = 0;
  for (std::size_t i = 0; i + static_cast<std::size_t>(keep) < ours.size(); ++i)
    removed += std::filesystem::remove(ours[i]) ? 1 : 0;
  return removed;
}

}  // namespace

checkin::database open_database(std::string const& path) {
  act_as_owner_of(path);
  checkin::database db(path);
  checkin::migrate(db);
  return db;
}

int user_add(options const& o) {
  auto role = o.need("--role");
  if (role != "organiser" && role != "admin") throw usage_error("--role is organiser or admin", "--role");
  auto email = o.need("--email");
  std::string password;
  std::getline(std::cin, password);
  if (password.size() < 8) throw std::runtime_error("the password (on stdin) must have at least 8 characters");
  auto db = open_database(o.get("--db", "einlass.db"));
  auto u = checkin::upsert_user(db, email, role, password);
  std::fprintf(stderr, "user %s is %s\n", u.email.c_str(), u.role.c_str());
  return 0;
}

int token_create(options const& o) {
  auto email = o.need("--email");
  auto db = open_database(o.get("--db", "einlass.db"));
  auto u = user_named(db, email);
  std::printf("%s\n", checkin::create_api_token(db, u.id).c_str());
  return 0;
}

int event_create(options const& o) {
  auto email = o.need("--email");
  auto db = open_database(o.get("--db", "einlass.db"));
  auto u = user_named(db, email);
  boost::system::error_code ec;
  auto v = boost::json::parse(read_stdin(), ec);
  if (ec) throw std::runtime_error("the event on stdin is not valid JSON: " + ec.message());
  auto e = checkin::event_from_json(v);
  if (!e) {
    auto const f = e.error().fields.front();  // error() returns a copy
    throw std::runtime_error("invalid event: " + f.field + ": " + f.reason);
  }
  checkin::transaction tx(db);
  auto created = checkin::create_event(db, std::move(*e), u.id, checkin::now());
  if (!created) throw std::runtime_error("invalid event: slug is taken");
  tx.commit();
  std::printf("%s\n", boost::json::serialize(checkin::event_to_json(*created, true)).c_str());
  return 0;
}

// Prints the pairing link (and its QR code as text for a terminal) of a new door device.
int device_add(options const& o) {
  auto db = open_database(o.get("--db", "einlass.db"));
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
  auto db = open_database(o.get("--db", "einlass.db"));
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
  auto db = open_database(o.get("--db", "einlass.db"));
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
  auto from = o.get("--db", "einlass.db");
  auto to = o.get("--to"), into = o.get("--into");
  if (to.empty() == into.empty()) throw usage_error("give --to FILE or --into FOLDER", "--to");
  int keep = to_int(o.get("--keep", "14"), "--keep", 1, 100000);
  if (checkin::is_postgresql_url(from))
    throw std::runtime_error(
        "einlass backup copies a SQLite file; back up PostgreSQL with pg_dump -Fc (docs/scaling.md)");
  act_as_owner_of(from);
  checkin::database src(from, checkin::database::mode::read_only);
  if (!into.empty()) {
    std::filesystem::create_directories(into);
    std::filesystem::permissions(into, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    auto name = backup_name();
    to = (std::filesystem::path(into) / name).string();
    for (int n = 1; std::filesystem::exists(to); ++n)  // a second backup within the same second
      to = (std::filesystem::path(into) / (name.substr(0, name.size() - 3) + "-" + std::to_string(n) + ".db")).string();
  }
  checked_copy(src, to);
  std::fprintf(stderr, "backup written to %s and checked\n", to.c_str());
  if (!into.empty())
    if (int removed = prune_backups(into, keep); removed > 0)
      std::fprintf(stderr, "%d older backups removed, the newest %d kept\n", removed, keep);
  return 0;
}

}  // namespace einlass::server
