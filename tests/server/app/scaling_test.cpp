// Several `einlass serve` processes on one PostgreSQL, as behind a load balancer: every
// guarantee of the single server holds across them (capacity, one admission per ticket, nonce
// replays, each mail once, nothing acknowledged lost when one dies), and a PostgreSQL restart
// is a few seconds of 503 with Retry-After, after which service resumes by itself.
// These run in the PostgreSQL pass (pg.Scaling.*); on SQLite, one file has one server.
#include "checkin/migrate.hpp"
#include "checkin/users.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/smtp_sink.hpp"
#include "tests/support/specs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <atomic>
#include <barrier>
#include <csignal>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;
namespace checkin = einlass::checkin;
using namespace std::chrono_literals;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

struct cluster {
  temp_dir dir;
  test_database storage{dir};
  std::string token;
  std::vector<std::unique_ptr<server_process>> servers;

  explicit cluster(std::size_t n, std::vector<std::string> const& extra = {}) {
    {
      checkin::database db(storage.target());
      checkin::migrate(db);
      auto u = checkin::upsert_user(db, "organiser@example.org", "organiser", "correct horse battery");
      token = checkin::create_api_token(db, u.id);
    }
    for (std::size_t i = 0; i < n; ++i) servers.push_back(start(extra));
  }
  [[nodiscard]] std::unique_ptr<server_process> start(std::vector<std::string> const& extra) const {
    std::vector<std::string> args{"--db", storage.target(), "--rate-limit", "0", "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<server_process>(args);
  }
  // The i-th request's server, round robin.
  [[nodiscard]] http_client client(std::size_t i) const { return http_client(servers[i % servers.size()]->port()); }
  [[nodiscard]] headers auth() const { return {{"Authorization", "Bearer " + token}}; }
  json::object create_event(json::object spec) const {
    auto r = client(0).post_json("/api/v1/events", spec, auth());
    if (r.status != 201) throw std::runtime_error("create_event: " + r.body);
    return r.json().as_object();
  }
  [[nodiscard]] std::int64_t count(std::string const& sql) const {
    checkin::database db(storage.target());
    return db.query_one<std::int64_t>(sql).value_or(-1);
  }
};

#define POSTGRESQL_ONLY() \
  if (!on_postgresql()) GTEST_SKIP() << "several servers share one PostgreSQL database, not one SQLite file"

}  // namespace

TEST(Scaling, TwoHundredAtOnceOverThreeServersConfirmExactlyFifty) {
  POSTGRESQL_ONLY();
  cluster c(3);
  c.create_event(event_spec("drei-server", {{"capacity", 50}}));
  constexpr int n = 200;
  std::vector<http_client> clients;
  for (int i = 0; i < n; ++i) clients.push_back(c.client(static_cast<std::size_t>(i)));
  std::barrier start(n);
  std::mutex m;
  std::map<int, int> seen;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      auto body = person("p" + std::to_string(i) + "@example.org");
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)].post_json("/api/v1/events/drei-server/registrations", body);
      std::lock_guard lock(m);
      ++seen[r.status];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen[201], 50);
  EXPECT_EQ(seen[409], 150);
  EXPECT_EQ(c.count("SELECT count(*) FROM registrations WHERE status = 'confirmed'"), 50);
  EXPECT_EQ(c.count("SELECT confirmed_count FROM events WHERE slug = 'drei-server'"), 50);
  // Every server says the same.
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(c.client(i).get("/api/v1/events/drei-server").json().at("seats_left").as_int64(), 0);
}

TEST(Scaling, FiftyScansOfOneTicketOverThreeServersAdmitOnce) {
  POSTGRESQL_ONLY();
  cluster c(3);
  c.create_event(event_spec("tuer", {{"capacity", 100}}));
  auto dev = c.client(0).post_json("/api/v1/events/tuer/devices", json::object{{"name", "Eingang"}}, c.auth());
  ASSERT_EQ(dev.status, 201) << dev.body;
  headers door{{"Authorization", "Bearer " + std::string(dev.json().at("token").as_string())}};
  auto reg = c.client(1).post_json("/api/v1/events/tuer/registrations", person("lena@example.org"));
  ASSERT_EQ(reg.status, 201);
  std::string code(reg.json().at("ticket").at("code").as_string());

  constexpr int n = 50;
  std::vector<http_client> clients;
  for (int i = 0; i < n; ++i) clients.push_back(c.client(static_cast<std::size_t>(i)));
  std::barrier start(n);
  std::mutex m;
  std::map<std::string, int> results;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      json::object body{{"code", code}, {"nonce", "scan-" + std::to_string(i)}};
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)].post_json("/api/v1/checkins", body, door);
      std::lock_guard lock(m);
      ++results[r.status == 200 ? std::string(r.json().at("result").as_string()) : std::to_string(r.status)];
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(results["ok"], 1);
  EXPECT_EQ(results["already_checked_in"], n - 1);
  EXPECT_EQ(c.count("SELECT count(*) FROM attendance"), 1);
  EXPECT_EQ(c.count("SELECT checked_in FROM stat_lists WHERE list_id = 0"), 1);

  // A scan sent again (the tablet lost the answer) is answered as first, by any server.
  json::object again{{"code", code}, {"nonce", "scan-7"}};
  auto first = c.client(0).post_json("/api/v1/checkins", again, door).json().at("result");
  auto second = c.client(2).post_json("/api/v1/checkins", again, door).json().at("result");
  EXPECT_EQ(first, second);
  EXPECT_EQ(c.count("SELECT count(*) FROM checkins"), n);

  // The door's offline list and the organiser's statistics read alike from every server
  // (the time of the answer aside: "at", "generated_at"; two calls may fall in two seconds).
  auto verdicts = [&](std::size_t i) { return c.client(i).get("/api/v1/device/offline", door).json().at("verdicts"); };
  auto stats = [&](std::size_t i) {
    auto s = c.client(i).get("/api/v1/events/tuer/stats", c.auth()).json();
    s.as_object().erase("generated_at");
    return s;
  };
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(verdicts(i), verdicts(0)) << "server " << i;
    EXPECT_EQ(stats(i), stats(0)) << "server " << i;
  }
  EXPECT_EQ(stats(2).at("checked_in").as_int64(), 1);
}

// A browser gets its sign-in form from one server, signs in through another, and is signed in
// on every one: logins live in the database.
TEST(Scaling, ASignInOnOneServerHoldsOnTheOthers) {
  POSTGRESQL_ONLY();
  cluster c(3);
  auto cookie_of = [](http_result const& r, std::string const& name) {
    for (auto const& [k, v] : r.headers)
      if (k == "set-cookie" && v.starts_with(name + "=")) return v.substr(0, v.find(';'));
    return std::string();
  };
  auto form = c.client(0).get("/admin/login");
  auto pre = cookie_of(form, "einlass_login");
  ASSERT_FALSE(pre.empty());
  auto signed_in = c.client(1).request(
      "POST", "/admin/login",
      "email=organiser%40example.org&password=correct+horse+battery&csrf=" + pre.substr(pre.find('=') + 1),
      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", pre}});
  auto session = cookie_of(signed_in, "einlass_session");
  ASSERT_FALSE(session.empty()) << signed_in.status << " " << signed_in.body;
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(c.client(i).get("/api/v1/events", {{"Cookie", session}}).status, 200) << "server " << i;
}

TEST(Scaling, EveryMailGoesOutOnceThoughEachServerRunsASender) {
  POSTGRESQL_ONLY();
  temp_dir mail;
  smtp_sink sink(mail.file("inbox"));
  cluster c(3, {"--smtp", "127.0.0.1:" + std::to_string(sink.port()), "--smtp-security", "none", "--mail-retry-seconds",
                "1"});
  c.create_event(event_spec("post", {{"capacity", 500}}));
  constexpr int n = 60;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < n; i += 6) {
        auto r = c.client(static_cast<std::size_t>(i))
                     .post_json("/api/v1/events/post/registrations", person("m" + std::to_string(i) + "@example.org"));
        if (r.status == 201) ++ok;
      }
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(ok.load(), n);
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (c.count("SELECT count(*) FROM outbox WHERE status = 'sent'") < n &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(200ms);
  std::this_thread::sleep_for(2s);  // long enough for a second copy to arrive, if one were sent
  EXPECT_EQ(c.count("SELECT count(*) FROM outbox WHERE status = 'sent'"), n);
  EXPECT_EQ(count_mails(sink.dir), static_cast<std::size_t>(n));
}

TEST(Scaling, AServerKilledUnderLoadLosesNothingItAcknowledged) {
  POSTGRESQL_ONLY();
  cluster c(3);
  c.create_event(event_spec("last", {{"capacity", 5000}}));
  std::mutex m;
  std::set<std::string> acknowledged;
  std::atomic<int> failed{0};
  std::atomic<bool> killed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 60; ++i) {
        auto email = "k" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
        auto which = static_cast<std::size_t>(t) + static_cast<std::size_t>(i);
        if (killed && which % 3 == 1) continue;  // the balancer has taken it out
        try {
          auto r = c.client(which).post_json("/api/v1/events/last/registrations", person(email));
          if (r.status == 201) {
            std::lock_guard lock(m);
            acknowledged.insert(email);
          } else {
            ++failed;
          }
        } catch (std::exception const&) {
          ++failed;  // the connection died with the server: not acknowledged
        }
        if (t == 0 && i == 20) {
          c.servers[1]->signal(SIGKILL);
          c.servers[1]->wait();
          killed = true;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_GT(acknowledged.size(), 250u);
  checkin::database db(c.storage.target());
  std::set<std::string> stored;
  auto st = db.prepare("SELECT email FROM registrations");
  while (st.step()) stored.insert(st.text(0));
  for (auto const& e : acknowledged) EXPECT_TRUE(stored.contains(e)) << e << " was acknowledged and is gone";
  EXPECT_EQ(c.count("SELECT confirmed_count FROM events WHERE slug = 'last'"),
            c.count("SELECT count(*) FROM registrations WHERE status = 'confirmed'"));
}

// Its own cluster: the shared one stays up for the other tests.
TEST(Scaling, APostgresRestartIsA503WithRetryAfterAndThenServiceResumes) {
  POSTGRESQL_ONLY();
  temp_dir own;
  auto cluster_dir = own.file("pg");
  auto script = std::string(EINLASS_TESTS_DIR) + "/support/postgres";
  ASSERT_EQ(run_program("/usr/bin/bash", {script, "start", cluster_dir}).exit_code, 0);
  struct stop_at_end {
    std::string script, dir;
    ~stop_at_end() { run_program("/usr/bin/bash", {script, "stop", dir}); }
  } stopper{script, cluster_dir};
  std::ifstream port_file(cluster_dir + "/port");
  int port = 0;
  port_file >> port;
  auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
  {
    checkin::database db(url);
    checkin::migrate(db);
  }
  server_process server({"--db", url, "--rate-limit", "0", "--quiet"});
  http_client client(server.port());
  auto token = [&] {
    checkin::database db(url);
    auto u = checkin::upsert_user(db, "organiser@example.org", "organiser", "correct horse battery");
    return checkin::create_api_token(db, u.id);
  }();
  ASSERT_EQ(client
                .post_json("/api/v1/events", event_spec("neustart", {{"capacity", 100}}),
                           {{"Authorization", "Bearer " + token}})
                .status,
            201);
  ASSERT_EQ(client.post_json("/api/v1/events/neustart/registrations", person("a@example.org")).status, 201);

  ASSERT_EQ(run_program("/usr/bin/bash", {script, "restart-stop", cluster_dir}).exit_code, 0);
  for (auto const& [method, path] :
       {std::pair{"POST", "/api/v1/events/neustart/registrations"}, std::pair{"GET", "/api/v1/events/neustart"}}) {
    auto r = std::string(method) == "POST" ? http_client(server.port()).post_json(path, person("b@example.org"))
                                           : http_client(server.port()).get(path);
    EXPECT_EQ(r.status, 503) << method << " " << path << ": " << r.body;
    EXPECT_FALSE(r.header("retry-after").empty());
  }

  ASSERT_EQ(run_program("/usr/bin/bash", {script, "restart-start", cluster_dir}).exit_code, 0);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    status =
        http_client(server.port()).post_json("/api/v1/events/neustart/registrations", person("b@example.org")).status;
    if (status == 201) break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 201);  // the same process, not restarted
  EXPECT_EQ(http_client(server.port()).get("/api/v1/events/neustart").json().at("seats_left").as_int64(), 98);
}

// The recipe in docs/scaling.md, tested: two servers behind nginx on one PostgreSQL. nginx
// takes turns between them and passes a request on when one is down; the servers believe its
// X-Forwarded-For, so rate limits count each client (across both servers), not the proxy.
TEST(Scaling, TwoServersBehindNginxShareTheLoadAndOneDownIsNoOutage) {
  POSTGRESQL_ONLY();
  ASSERT_TRUE(std::filesystem::exists("/usr/sbin/nginx")) << "nginx-light is part of .ci/setup";
  cluster c(2, {"--trusted-proxy", "127.0.0.1", "--rate-limit", "4"});
  temp_dir conf_dir;
  int port = 0;
  {
    auto probe = run_program("/usr/bin/python3", {"-c",
                                                  "import socket; s=socket.socket(); "
                                                  "s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"});
    port = std::stoi(probe.out);
  }
  auto text = std::string(EINLASS_TESTS_DIR) + "/../docs/nginx-einlass.conf";
  std::ifstream in(text);
  std::string conf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(conf.empty()) << text;
  auto replace = [&](std::string const& from, std::string const& to) {
    for (auto at = conf.find(from); at != std::string::npos; at = conf.find(from, at + to.size()))
      conf.replace(at, from.size(), to);
  };
  replace("127.0.0.1:8081", "127.0.0.1:" + std::to_string(c.servers[0]->port()));
  replace("127.0.0.1:8082", "127.0.0.1:" + std::to_string(c.servers[1]->port()));
  replace("listen 443 ssl", "listen 127.0.0.1:" + std::to_string(port));
  replace("/var/log/nginx/einlass-", conf_dir.file("log-"));
  for (auto const* line : {"ssl_certificate ", "ssl_certificate_key "}) {
    auto at = conf.find(line);
    if (at != std::string::npos) conf.erase(at, conf.find('\n', at) - at + 1);
  }
  std::ofstream(conf_dir.file("nginx.conf"))
      << "daemon on;\npid " << conf_dir.file("nginx.pid") << ";\nerror_log " << conf_dir.file("error.log")
      << ";\nevents { worker_connections 256; }\nhttp {\n  client_body_temp_path " << conf_dir.file("body")
      << ";\n  proxy_temp_path " << conf_dir.file("proxy") << ";\n  fastcgi_temp_path " << conf_dir.file("f")
      << ";\n  uwsgi_temp_path " << conf_dir.file("u") << ";\n  scgi_temp_path " << conf_dir.file("s") << ";\n"
      << conf << "}\n";
  auto started = run_program("/usr/sbin/nginx", {"-p", conf_dir.path().string(), "-c", conf_dir.file("nginx.conf")});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  struct stop_at_end {
    std::string prefix, conf;
    ~stop_at_end() { run_program("/usr/sbin/nginx", {"-p", prefix, "-c", conf, "-s", "stop"}); }
  } stopper{conf_dir.path().string(), conf_dir.file("nginx.conf")};

  auto via_proxy = [&](std::string const& client, std::string const& email) {
    http_client h(static_cast<std::uint16_t>(port));
    return h.request("POST", "/api/v1/events/hinter-nginx/registrations", json::serialize(person(email)),
                     {{"Content-Type", "application/json"}, {"X-Forwarded-For", client}});
  };
  c.create_event(event_spec("hinter-nginx", {{"capacity", 100}}));
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(via_proxy("203.0.113." + std::to_string(i + 1), "a" + std::to_string(i) + "@example.org").status, 201);
  // Both servers answered some.
  for (std::size_t i = 0; i < 2; ++i) {
    auto m = http_client(c.servers[i]->port()).get("/metrics").body;
    EXPECT_GE(metric(m, "einlass_registrations_total{status=\"confirmed\"}").value_or(0), 1) << "server " << i;
  }
  // One client's budget is one, whichever server answers: the fifth within the minute waits.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(via_proxy("198.51.100.1", "b" + std::to_string(i) + "@example.org").status, 201);
  auto fifth = via_proxy("198.51.100.1", "b4@example.org");
  EXPECT_EQ(fifth.status, 429);
  EXPECT_FALSE(fifth.header("retry-after").empty());

  // A server goes down: nginx passes every request on to the other.
  c.servers[0]->signal(SIGKILL);
  c.servers[0]->wait();
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(via_proxy("192.0.2." + std::to_string(i + 1), "c" + std::to_string(i) + "@example.org").status, 201);
  EXPECT_EQ(c.count("SELECT count(*) FROM registrations"), 12);
}
