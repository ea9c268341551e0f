// Malformed HTTP, oversized input, timeouts, graceful shutdown, a killed process, TLS.
#include "checkin/db.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill() and sigaction
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;

TEST(Robustness, GarbageIsA400AndTheConnectionCloses) {
  test_server s;
  auto c = s.client();
  auto r = c.raw("HELLO THERE\r\n\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(c.closed_by_server());
  auto c2 = s.client();
  auto r2 = c2.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
  EXPECT_EQ(r2.status, 400);
  EXPECT_EQ(s.client().get("/healthz").status, 200);  // the server is fine
}

TEST(Robustness, OversizedBodyIs413) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  std::string big(2 << 20, 'x');
  auto r = c.raw(
      "POST /api/v1/events/treffen/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(big.size()) + "\r\n\r\n");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json().at("error").at("code"), "payload_too_large");
}

TEST(Robustness, OversizedHeaderIsRefused) {
  test_server s;
  auto c = s.client();
  auto r = c.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64UL * 1024, 'a') + "\r\n\r\n");
  EXPECT_TRUE(r.status == 400 || r.status == 431 || r.status == 0) << r.status;
  EXPECT_TRUE(c.closed_by_server());
}

TEST(Robustness, KeepAliveServesManyRequestsOnOneConnection) {
  test_server s;
  auto c = s.client();
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");  // pipelined
  EXPECT_EQ(c.read_response().status, 200);
  EXPECT_EQ(c.read_response().status, 200);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.get("/healthz").status, 200);
  auto head = c.request("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
}

TEST(Robustness, IdleConnectionsTimeOut) {
  test_server s([](auto& cfg) { cfg.read_timeout_seconds = 1; });
  auto c = s.client();
  c.send("GET /healthz HTTP/1.1\r\n");  // and then nothing
  EXPECT_TRUE(c.closed_by_server(4000));
}

TEST(Robustness, ShutdownFinishesTheRequestInFlight) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto busy = s.client();
  auto idle = s.client();
  EXPECT_EQ(idle.get("/healthz").status, 200);
  // That request is counted until the server has finished with it, which may be after its
  // answer arrived here: only then does "one in progress" mean the request below.
  ASSERT_TRUE(wait_until([&] { return s.app().stats().requests_in_progress() == 0; }));
  std::string body = json::serialize(person("late@example.org"));
  // The request has begun: headers are in, the body is still on its way.
  busy.send(
      "POST /api/v1/events/treffen/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  ASSERT_TRUE(wait_until([&] { return s.app().stats().requests_in_progress() == 1; }));
  // Joined however this test ends (a failed send would otherwise destroy it running).
  std::jthread stopper([&] { s.stop(); });
  EXPECT_TRUE(idle.closed_by_server(30000));  // idle connections are closed at once
  busy.send(body.substr(10));
  auto r = busy.read_response();
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("connection"), "close");
  stopper.join();
  einlass::checkin::database db(s.db_path(), einlass::checkin::database::mode::read_only);
  auto st = db.prepare("SELECT count(*) FROM registrations WHERE email = 'late@example.org'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 1);
}

// Every registration the server acknowledged is in the database after kill -9.
TEST(Robustness, AcknowledgedRegistrationsSurviveAKilledProcess) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  ASSERT_EQ(run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"},
                       "long enough password\n")
                .exit_code,
            0);
  auto token = run_binary({"token", "create", "--db", db, "--email", "o@example.org"}).out;
  token.pop_back();
  server_process p({"--db", db, "--quiet", "--rate-limit", "0"});
  http_client c(p.port());
  ASSERT_EQ(
      c.post_json("/api/v1/events", event_spec("kill", {{"capacity", 10000}}), {{"Authorization", "Bearer " + token}})
          .status,
      201);
  std::mutex m;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop = false;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      // A thread that starts late, on a busy machine, may find the server killed already.
      auto connected = try_connect(p.port());
      if (!connected) return;
      auto& mine = *connected;
      for (int i = 0; i < 500 && !stop; ++i) {  // bounded: at most 4,000 requests
        try {
          auto r = mine.post_json("/api/v1/events/kill/registrations",
                                  person("k" + std::to_string(t) + "-" + std::to_string(i) + "@example.org"));
          if (r.status != 201) continue;
          std::lock_guard lock(m);
          acknowledged.insert(std::string(r.json().at("ticket").at("code").as_string()));
        } catch (std::exception const&) {
          return;  // the server is gone
        }
      }
    });
  for (int i = 0; i < 100; ++i) {  // kill as soon as some hundreds are in
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::lock_guard lock(m);
    if (acknowledged.size() >= 300) break;
  }
  {
    std::lock_guard lock(m);  // nothing is counted while the kill lands
    p.signal(SIGKILL);
    stop = true;
  }
  EXPECT_EQ(p.wait(), 128 + SIGKILL);
  for (auto& t : threads) t.join();
  ASSERT_GT(acknowledged.size(), 0u);
  einlass::checkin::database after(db);
  std::set<std::string> stored;
  auto st = after.prepare("SELECT ticket_code FROM registrations");
  while (st.step()) stored.insert(st.text(0));
  for (auto const& code : acknowledged) EXPECT_TRUE(stored.contains(code)) << code;
}

TEST(Robustness, SigtermStopsGracefullyWithExitZero) {
  temp_dir dir;
  server_process p({"--db", dir.file("einlass.db"), "--quiet"});
  http_client c(p.port());
  EXPECT_EQ(c.get("/healthz").status, 200);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(), 0);
}

TEST(Robustness, SelfSignedTlsIsMadeOnceBesideTheDatabase) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  std::string fingerprint;
  for (int round = 0; round < 2; ++round) {
    server_process p({"--db", db, "--quiet", "--tls-self-signed"});
    EXPECT_NE(p.banner().find("https://127.0.0.1:"), std::string::npos);
    auto port = std::to_string(p.port());
    auto out = run("curl -sS --cacert '" + db + ".ca.pem' https://127.0.0.1:" + port + "/healthz 2>&1");
    EXPECT_EQ(out, "{\"status\":\"ok\"}") << out;
    auto localhost = run("curl -sS --cacert '" + db + ".ca.pem' --resolve localhost:" + port +
                         ":127.0.0.1 https://localhost:" + port + "/healthz 2>&1");
    EXPECT_EQ(localhost, "{\"status\":\"ok\"}") << localhost;
    auto fp = run("openssl x509 -noout -fingerprint -in '" + db + ".cert.pem'");
    if (round == 0) fingerprint = fp;
    else EXPECT_EQ(fp, fingerprint);  // kept, not made anew
  }
  struct stat st {};
  ASSERT_EQ(::stat((db + ".key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}
