// Faults the server must survive: a full disk, and input of every wrong shape. Each test
// runs the real binary or the real server and bounds every loop in count and time.
#include "checkin/db.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;

namespace {

// PRAGMA integrity_check's answer for a database file, opened read-only.
std::string integrity(einlass::checkin::database& db) {
  auto st = db.prepare("PRAGMA integrity_check");
  return st.step() ? st.text(0) : "no answer";
}

}  // namespace

// The disk fills up (a file-size limit on the server process), then space returns.
TEST(StorageFaults, AFullDiskAnswers503LosesNothingAndRecoversByItself) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  run_binary({"user", "add", "--db", db, "--email", "orga@example.org", "--role", "organiser"}, "a long password\n");
  auto token = run_binary({"token", "create", "--db", db, "--email", "orga@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  auto limit = std::filesystem::file_size(db) + (4UL * 1024 * 1024);
  // Only the soft limit: the process may raise it again (what "space returns" stands for here).
  server_process server("/usr/bin/prlimit",
                        {"--fsize=" + std::to_string(limit) + ":unlimited", einlass_binary(), "serve", "--db", db,
                         "--listen", "127.0.0.1:0", "--quiet", "--rate-limit", "0"});
  http_client c(server.port());
  auto spec = event_spec("voll");
  spec.erase("capacity");
  ASSERT_EQ(c.post_json("/api/v1/events", spec, {{"Authorization", "Bearer " + token}}).status, 201);

  std::set<std::string> acknowledged;
  int full = 0, other = 0, i = 0;
  for (; i < 20000 && full < 20; ++i) {
    auto email = "p" + std::to_string(i) + "@example.org";
    auto r = c.post_json("/api/v1/events/voll/registrations", person(email));
    if (r.status == 201) acknowledged.insert(email);
    else if (r.status == 503 && error_code(r) == "storage_unavailable" && !r.header("retry-after").empty()) ++full;
    else ++other;
  }
  ASSERT_EQ(full, 20) << "the limit was never reached in " << i << " registrations";
  EXPECT_EQ(other, 0);
  EXPECT_GT(acknowledged.size(), 20u);
  EXPECT_EQ(c.get("/api/v1/events/voll").status, 200) << "reading still works";
  auto page =
      c.request("POST", "/e/voll",
                "first_name=A&last_name=B&email=ab%40example.org&organisation=X&organisation_type=company&consent=on",
                {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(page.status, 503);
  EXPECT_NE(page.body.find("Es ging nichts verloren"), std::string::npos) << "a page in the user's language";

  // Space returns: the very next registration goes through, without a restart.
  auto raised = run_program("/usr/bin/prlimit", {"--pid", std::to_string(server.pid()), "--fsize=unlimited"});
  ASSERT_EQ(raised.exit_code, 0) << raised.err;
  int after = 0;
  for (int k = 0; k < 20; ++k) {
    auto email = "after" + std::to_string(k) + "@example.org";
    auto r = c.post_json("/api/v1/events/voll/registrations", person(email));
    if (r.status == 201) {
      acknowledged.insert(email);
      ++after;
    }
  }
  EXPECT_EQ(after, 20);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);

  einlass::checkin::database check(db, einlass::checkin::database::mode::read_only);
  EXPECT_EQ(integrity(check), "ok");
  std::set<std::string> stored;
  auto rows = check.prepare("SELECT email FROM registrations");
  while (rows.step()) stored.insert(rows.text(0));
  EXPECT_EQ(stored, acknowledged) << "every acknowledged registration is there, and nothing else";
  auto seats = check.prepare("SELECT confirmed_count FROM events WHERE slug = 'voll'");
  ASSERT_TRUE(seats.step());
  EXPECT_EQ(seats.int64(0), static_cast<std::int64_t>(acknowledged.size())) << "counters match the rows";
}

// The database file is read-only for the server's user (a backup copied back by root, say).
// SQLite would open it read-only without a word and answer every write with 503 until a
// restart, and leave a -shm file as read-only as the database that outlives the fix. The
// server refuses to start instead, saying which file and why, and touches nothing; once
// the file is writable it starts and takes registrations. (A file that turns read-only
// while the server runs fails writes as a full disk does: 503, see above.) As root,
// permissions do not stop writes, so the server runs as nobody here.
TEST(StorageFaults, AReadOnlyDatabaseFileIsRefusedAtStartWithTheReasonAndNothingTouched) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  run_binary({"user", "add", "--db", db, "--email", "orga@example.org", "--role", "organiser"}, "a long password\n");
  auto made = run_binary({"event", "create", "--db", db, "--email", "orga@example.org"},
                         json::serialize(event_spec("nur-lesen")));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  namespace fs = std::filesystem;
  std::vector<std::string> serve{einlass_binary(), "serve",   "--db",         db, "--listen",
                                 "127.0.0.1:0",    "--quiet", "--rate-limit", "0"};
  std::string program = einlass_binary();
  if (::geteuid() == 0) {
    for (auto const& p : {dir.path(), fs::path(db)}) ASSERT_EQ(::chown(p.c_str(), 65534, 65534), 0);
    program = "/usr/bin/setpriv";
    serve.insert(serve.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups"});
  } else {
    serve.erase(serve.begin());
  }
  auto listing = [&] {
    std::set<std::string> names;
    for (auto const& entry : fs::directory_iterator(dir.path())) names.insert(entry.path().filename().string());
    return names;
  };
  auto const before = listing();
  auto const size = fs::file_size(db);
  fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);

  auto refused = run_program(program, serve);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("einlass.db is read-only for this process (it runs as "), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("mode 0444)"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("then start again"), std::string::npos) << refused.err;
  EXPECT_EQ(listing(), before) << "no -wal or -shm made beside it";
  EXPECT_EQ(fs::file_size(db), size);

  // Writable again: it starts and takes registrations.
  fs::permissions(db, fs::perms::owner_write, fs::perm_options::add);
  server_process server(program, serve);
  http_client c(server.port());
  for (int k = 0; k < 10; ++k)
    EXPECT_EQ(
        c.post_json("/api/v1/events/nur-lesen/registrations", person("p" + std::to_string(k) + "@example.org")).status,
        201);
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(), 0);
  einlass::checkin::database check(db, einlass::checkin::database::mode::read_only);
  EXPECT_EQ(integrity(check), "ok");
  auto rows = check.prepare("SELECT count(*) FROM registrations");
  ASSERT_TRUE(rows.step());
  EXPECT_EQ(rows.int64(0), 10);
}

namespace {

// A plain TCP connection to the server that sends nothing unless told to.
int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void raise_fd_limit() {
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  lim.rlim_cur = lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())))];
}

}  // namespace

TEST(Connections, TwoThousandIdleConnectionsAndASlowClientDoNotStopOthers) {
  raise_fd_limit();
  test_server s([](einlass::server::config& cfg) { cfg.read_timeout_seconds = 6; });
  s.create_event(event_spec("forum", {{"capacity", 1000}}));
  auto started = std::chrono::steady_clock::now();
  auto accepted_before = s.app().stats().accepted_connections();
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i)
    if (int fd = connect_to(s.port()); fd >= 0) idle.push_back(fd);
  ASSERT_EQ(idle.size(), 2000u);

  // A slow client: one header byte every 100 ms (the whole request would take half a minute).
  std::atomic<double> cut_after{-1};
  std::thread slow([&] {
    int fd = connect_to(s.port());
    std::string req = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(300, 'a') + "\r\n\r\n";
    auto t0 = std::chrono::steady_clock::now();
    for (char ch : req) {
      if (::send(fd, &ch, 1, MSG_NOSIGNAL) != 1) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) > 0) {  // the server answered or closed: it gave up on us
        char buf[64];
        if (::recv(fd, buf, sizeof buf, 0) <= 0) break;
      }
      if (std::chrono::steady_clock::now() - t0 > std::chrono::seconds(12)) break;
    }
    cut_after = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ::close(fd);
  });

  // Meanwhile everyone else is served. The server takes the connections in its own time: wait
  // until it has accepted all of them. Not until all are open at once: under ThreadSanitizer
  // accepting 2,001 takes longer than the 6 s read timeout, which closes the first idle ones
  // before the last are in (CI saw 1,383 of 2,001 open at one moment: the flaky failure).
  auto accepted = [&] { return s.app().stats().accepted_connections() - accepted_before; };
  EXPECT_TRUE(wait_until([&] { return accepted() >= 2001; }, std::chrono::seconds(60))) << accepted();
  std::vector<double> ms;
  int ok = 0;
  for (int i = 0; i < 200; ++i) {
    auto c = s.client();
    auto t0 = std::chrono::steady_clock::now();
    auto r = i % 4
                 ? c.get("/healthz")
                 : c.post_json("/api/v1/events/forum/registrations", person("c" + std::to_string(i) + "@example.org"));
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ok += r.status == 200 || r.status == 201;
  }
  auto served_within = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  slow.join();
  for (int fd : idle) ::close(fd);
  EXPECT_EQ(ok, 200);
  std::printf(
      "2000 idle connections and a slow client: 200 requests served, p50 %.2f ms, p99 %.2f ms, max %.2f ms "
      "(all within %.1f s of the first idle connection); the slow client was cut off after %.1f s\n",
      percentile(ms, 50), percentile(ms, 99), percentile(ms, 100), served_within, cut_after.load());
  // Bounds far from what is measured (max 2-40 ms plain), so that a loaded or instrumented run
  // passes, yet a request that waited for the slow client (6 s) would not.
  EXPECT_LT(percentile(ms, 100), 5000.0) << "nobody waited on the idle or the slow";
  EXPECT_GT(cut_after.load(), 5.0);
  EXPECT_LT(cut_after.load(), 11.5)
      << "the slow client was cut off by the server's request timeout (6 s), not by itself (12 s)";
}

TEST(Connections, OverTheLimitNewConnectionsAreClosedAndTheOpenOnesServed) {
  raise_fd_limit();
  test_server s([](einlass::server::config& cfg) { cfg.max_connections = 20; });
  std::vector<http_client> open;
  for (int i = 0; i < 20; ++i) {
    open.push_back(s.client());
    ASSERT_EQ(open.back().get("/healthz").status, 200);
  }
  auto extra = s.client();
  EXPECT_EQ(extra.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 0) << "closed on arrival";
  EXPECT_EQ(open.front().get("/healthz").status, 200) << "the open ones are still served";
  open.clear();
  // Closed by us; the server counts them closed in its own time (bounded wait, not a fixed sleep).
  wait_until([&] { return s.app().stats().open_connections() < 20; });
  EXPECT_EQ(s.client().get("/healthz").status, 200);
  EXPECT_NE(s.client().get("/metrics").body.find("einlass_connections_refused_total 1"), std::string::npos);
}

// Killed with SIGKILL at 20 random moments under a load of registrations and check-ins, and
// started again each time: what was acknowledged is there, nothing half-written, no seat sold
// twice, no ticket admitted twice, the mails of every registration still waiting.
TEST(Crash, TwentyKillsUnderLoadLoseNothing) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  ASSERT_EQ(run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"},
                       "long enough password\n")
                .exit_code,
            0);
  auto token = run_binary({"token", "create", "--db", db, "--email", "o@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  std::vector<std::string> args{"--db", db, "--quiet", "--rate-limit", "0"};
  constexpr int capacity = 3000;
  std::string device_token;
  {
    server_process p(args);
    http_client c(p.port());
    ASSERT_EQ(c.post_json("/api/v1/events", event_spec("crash", {{"capacity", capacity}}),
                          {{"Authorization", "Bearer " + token}})
                  .status,
              201);
    auto d = c.post_json("/api/v1/events/crash/devices", json::object{{"name", "Tür"}},
                         {{"Authorization", "Bearer " + token}});
    device_token = std::string(d.json().at("token").as_string());
    p.signal(SIGTERM);
    p.wait();
  }
  auto seed = static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::mt19937 rng(seed);
  std::mutex m;
  std::set<std::string> acknowledged, refused_full;  // ticket codes answered 201; e-mails answered event_full
  std::vector<std::string> to_scan;
  std::set<std::string> admitted;  // codes answered "ok"
  int registration_no = 0, kills = 0;
  for (int round = 0; round < 20; ++round) {
    server_process p(args);
    std::atomic<bool> stop = false;
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
      threads.emplace_back([&, t] {
        // A thread that starts late, on a busy machine, may find the server killed already.
        auto connected = try_connect(p.port());
        if (!connected) return;
        auto& mine = *connected;
        for (int i = 0; i < 400 && !stop; ++i) {  // bounded
          try {
            if (t == 2) {  // the door: scans codes acknowledged in earlier rounds
              std::string code;
              {
                std::lock_guard lock(m);
                if (to_scan.empty()) break;
                code = to_scan.back();
                to_scan.pop_back();
              }
              auto r =
                  mine.post_json("/api/v1/checkins", json::object{{"code", code}, {"nonce", "n-" + code.substr(0, 20)}},
                                 {{"Authorization", "Bearer " + device_token}});
              if (r.status == 200 && r.json().at("result") == "ok") {
                std::lock_guard lock(m);
                admitted.insert(code);
              }
              continue;
            }
            std::string email;
            {
              std::lock_guard lock(m);
              email = "p" + std::to_string(registration_no++) + "@example.org";
            }
            auto r = mine.post_json("/api/v1/events/crash/registrations", person(email));
            std::lock_guard lock(m);
            if (r.status == 201) acknowledged.insert(std::string(r.json().at("ticket").at("code").as_string()));
            else if (r.status == 409) refused_full.insert(email);
          } catch (std::exception const&) {
            return;  // killed
          }
        }
      });
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 400));
    {
      std::lock_guard lock(m);  // nothing is counted while the kill lands
      p.signal(SIGKILL);
      stop = true;
    }
    kills += p.wait() == 128 + SIGKILL;
    for (auto& t : threads) t.join();
    std::lock_guard lock(m);
    to_scan.assign(acknowledged.begin(), acknowledged.end());
    for (auto const& code : admitted) std::erase(to_scan, code);
  }
  EXPECT_EQ(kills, 20);

  // Started once more: the database opens, upgrades nothing, and holds everything acknowledged.
  { server_process again(args); }
  einlass::checkin::database after(db, einlass::checkin::database::mode::read_only);
  EXPECT_EQ(integrity(after), "ok");
  std::set<std::string> stored;
  auto st = after.prepare("SELECT ticket_code FROM registrations WHERE status = 'confirmed'");
  while (st.step()) stored.insert(st.text(0));
  std::size_t lost = 0;
  for (auto const& code : acknowledged) lost += !stored.contains(code);
  std::size_t lost_scans = 0;
  auto in = after.prepare("SELECT r.ticket_code FROM attendance a JOIN registrations r ON r.id = a.registration_id");
  std::set<std::string> inside;
  while (in.step()) inside.insert(in.text(0));
  for (auto const& code : admitted) lost_scans += !inside.contains(code);
  auto ok_scans = after.prepare("SELECT count(*), count(DISTINCT registration_id) FROM checkins WHERE result = 'ok'");
  ASSERT_TRUE(ok_scans.step());
  auto mails = after.prepare("SELECT count(*) FROM outbox WHERE status = 'pending'");
  ASSERT_TRUE(mails.step());
  std::printf(
      "crash test (seed %u): 20 kills; %zu registrations and %zu check-ins acknowledged, %zu and %zu lost; "
      "%zu stored whose answer the kill cut off; %zu refused as full; %lld mails pending\n",
      seed, acknowledged.size(), admitted.size(), lost, lost_scans,
      stored.size() - std::min(stored.size(), acknowledged.size()), refused_full.size(),
      static_cast<long long>(mails.int64(0)));
  EXPECT_EQ(lost, 0u);
  EXPECT_EQ(lost_scans, 0u);
  // Committed but killed before the answer left: at most the two registering clients' requests in flight per kill.
  EXPECT_LE(stored.size() - std::min(stored.size(), acknowledged.size()), static_cast<std::size_t>(2 * kills));
  EXPECT_LE(stored.size(), static_cast<std::size_t>(capacity)) << "no seat sold twice";
  EXPECT_EQ(ok_scans.int64(0), ok_scans.int64(1)) << "no ticket admitted twice";
  EXPECT_EQ(mails.int64(0), static_cast<std::int64_t>(stored.size())) << "every registration's mail still waiting";
}

// `einlass backup` while registrations pour in: the copy opens, passes integrity_check and
// holds every registration acknowledged before the backup began; restored as
// docs/operations.md says, the server runs on it.
TEST(Backup, DuringLoadHoldsEverythingAcknowledgedBeforeAndRestores) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  auto copy = dir.file("backup.db");
  ASSERT_EQ(run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"},
                       "long enough password\n")
                .exit_code,
            0);
  auto token = run_binary({"token", "create", "--db", db, "--email", "o@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  std::vector<std::string> args{"--db", db, "--quiet", "--rate-limit", "0"};
  std::set<std::string> before;
  {
    server_process p(args);
    http_client c(p.port());
    auto spec = event_spec("backup");
    spec.erase("capacity");
    ASSERT_EQ(c.post_json("/api/v1/events", spec, {{"Authorization", "Bearer " + token}}).status, 201);
    std::mutex m;
    std::set<std::string> acknowledged;
    std::atomic<bool> stop = false;
    std::vector<std::thread> load;
    for (int t = 0; t < 2; ++t)
      load.emplace_back([&, t] {
        http_client mine(p.port());
        for (int i = 0; i < 5000 && !stop; ++i) {  // bounded
          auto r = mine.post_json("/api/v1/events/backup/registrations",
                                  person("b" + std::to_string(t) + "-" + std::to_string(i) + "@example.org"));
          if (r.status != 201) continue;
          std::lock_guard lock(m);
          acknowledged.insert(std::string(r.json().at("ticket").at("code").as_string()));
        }
      });
    for (int i = 0; i < 200; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      std::lock_guard lock(m);
      if (acknowledged.size() >= 300) break;
    }
    {
      std::lock_guard lock(m);
      before = acknowledged;
    }
    auto r = run_binary({"backup", "--db", db, "--to", copy});
    std::size_t during;
    {
      std::lock_guard lock(m);
      during = acknowledged.size() - before.size();
    }
    stop = true;
    for (auto& t : load) t.join();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::printf("backup under load: %zu registrations acknowledged before it began, %zu more while it ran\n",
                before.size(), during);
    p.signal(SIGTERM);
    p.wait();
  }
  {
    einlass::checkin::database b(copy, einlass::checkin::database::mode::read_only);
    EXPECT_EQ(integrity(b), "ok");
    std::set<std::string> stored;
    auto st = b.prepare("SELECT ticket_code FROM registrations");
    while (st.step()) stored.insert(st.text(0));
    for (auto const& code : before) EXPECT_TRUE(stored.contains(code)) << code;
  }
  // Restore: the server stopped, the copy in place of the database, its -wal and -shm gone.
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  std::filesystem::copy_file(copy, db, std::filesystem::copy_options::overwrite_existing);
  server_process restored(args);
  http_client c(restored.port());
  EXPECT_EQ(c.get("/healthz").status, 200);
  EXPECT_EQ(c.get("/t/" + *before.begin()).status, 200);
  EXPECT_EQ(c.post_json("/api/v1/events/backup/registrations", person("after-restore@example.org")).status, 201);
}
