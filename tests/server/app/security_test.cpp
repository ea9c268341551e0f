// The review's attacks, each over real HTTP against the real server: every test here failed
// on the main branch before the fix it names (docs/security.md lists them).
#include "checkin/db.hpp"
#include "checkin/users.hpp"
#include "server/app/router.hpp"
#include "server/http/http.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <regex>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;
using headers = std::vector<std::pair<std::string, std::string>>;

namespace {

std::string form_field(std::string const& html, std::string const& name) {
  std::smatch m;
  if (!std::regex_search(html, m, std::regex("name=\"" + name + "\" value=\"([^\"]*)\""))) return {};
  return m[1].str();
}

int mode_of(std::string const& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

std::string read_all(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs one request through the router as the listener would, from any client address.
einlass::server::response dispatch(test_server& s, einlass::server::request req) {
  auto routes = einlass::server::make_router();
  einlass::server::response out;
  boost::asio::io_context io;
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { out = co_await routes.dispatch(req, s.app()); },
      boost::asio::detached);
  io.run();
  return out;
}

std::int64_t count(test_server& s, std::string const& sql) {
  einlass::checkin::database db(s.db_path(), einlass::checkin::database::mode::read_only);
  auto st = db.prepare(sql);
  return st.step() ? st.int64(0) : -1;
}

}  // namespace

// 1. An invitation never touches an existing account (it used to overwrite its password and role).
TEST(Security, AnInvitationCannotTakeOverAnExistingAccount) {
  test_server s;
  s.add_user("chefin@example.org", "admin", "the admins own password");
  auto c = s.client();
  auto r = c.post_json("/api/v1/invitations", json::object{{"email", "Chefin@Example.org"}}, s.auth());
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.json().at("error").at("code"), "account_exists");

  // An invitation made before the account existed is spent without changing the account.
  r = c.post_json("/api/v1/invitations", json::object{{"email", "later@example.org"}}, s.auth());
  ASSERT_EQ(r.status, 201) << r.body;
  std::string url(r.json().at("url").as_string());
  auto path = url.substr(url.find("/admin/invite/"));
  s.add_user("later@example.org", "admin", "the real owners password");
  r = c.post_form(path, "password=attacker-chosen-password");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(s.login("later@example.org", "attacker-chosen-password").cookie, "");
  EXPECT_NE(s.login("later@example.org", "the real owners password").cookie, "");
  EXPECT_EQ(count(s, "SELECT count(*) FROM users WHERE email = 'later@example.org' AND role = 'admin'"), 1);
  EXPECT_EQ(count(s, "SELECT count(*) FROM audit_log WHERE action = 'user.join'"), 0);
}

// 2. CR/LF in `next` (and anywhere else) never reaches a header.
TEST(Security, ALineBreakInNextDoesNotSplitTheResponse) {
  test_server s;
  auto c = s.client();
  auto page = c.get("/admin/login?next=/admin%0D%0ASet-Cookie:%20evil=1");
  ASSERT_EQ(page.status, 200);
  auto csrf = form_field(page.body, "csrf");
  std::string cookie = "einlass_login=" + csrf;
  auto r = c.request("POST", "/admin/login",
                     "csrf=" + csrf +
                         "&next=%2Fadmin%0D%0ASet-Cookie%3A%20evil%3D1&email=organiser%40example.org"
                         "&password=correct+horse+battery",
                     {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", cookie}});
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/admin");
  for (auto const& [k, v] : r.headers) EXPECT_EQ(v.find("evil"), std::string::npos) << k << ": " << v;
}

TEST(Security, TheHttpLayerRefusesAnyHeaderWithCrLfOrNul) {
  using einlass::server::header_safe;
  EXPECT_TRUE(header_safe("/admin/events"));
  EXPECT_FALSE(header_safe("/admin\r\nSet-Cookie: x=1"));
  EXPECT_FALSE(header_safe("a\nb"));
  EXPECT_FALSE(header_safe(std::string_view("a\0b", 3)));
  einlass::server::response r;
  r.set("Location", "/ok");
  EXPECT_EQ(einlass::server::unsafe_header(r), "");
  r.set("X-Name", "Smith\r\nX-Evil: 1");
  EXPECT_EQ(einlass::server::unsafe_header(r), "X-Name");
}

// 3. A device reads a person only from their ticket: by registration id it learns nothing of
// cancelled people, people on other lists, or people not inside.
TEST(Security, ADeviceCannotReadTheGuestListByRegistrationId) {
  test_server s;
  auto e = s.create_event(event_spec("forum", {{"sessions", json::array{json::object{{"title", "AG 1"}}}}}));
  auto c = s.client();
  auto reg = [&](std::string const& email) {
    auto r = c.post_json("/api/v1/events/forum/registrations", person(email));
    return r.json().at("id").as_int64();
  };
  auto cancelled = reg("weg@example.org");
  auto present = reg("da@example.org");
  ASSERT_EQ(c.request("POST", "/api/v1/events/forum/attendees/" + std::to_string(cancelled) + "/cancel", "{}", s.auth())
                .status,
            200);
  auto dev = c.post_json("/api/v1/events/forum/devices", json::object{{"name", "Tür"}}, s.auth());
  std::string token(dev.json().at("token").as_string());
  for (auto const& type : {"exit", "entry"}) {
    auto r =
        c.post_json("/api/v1/checkins", json::object{{"registration_id", cancelled}, {"type", type}}, bearer(token));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("result"), "cancelled");
    EXPECT_TRUE(r.json().at("attendee").is_null()) << r.body;
  }
  auto sid = e.at("sessions").as_array()[0].at("id").as_int64();
  auto r = c.post_json("/api/v1/checkins", json::object{{"registration_id", present}, {"type", "entry"}, {"list", sid}},
                       bearer(token));
  EXPECT_EQ(r.json().at("result"), "not_on_list");
  EXPECT_TRUE(r.json().at("attendee").is_null()) << r.body;
  r = c.post_json("/api/v1/checkins", json::object{{"registration_id", present}, {"type", "exit"}}, bearer(token));
  EXPECT_EQ(r.json().at("result"), "not_inside");
  EXPECT_TRUE(r.json().at("attendee").is_null()) << r.body;
  // Admitted, the door sees who came in.
  r = c.post_json("/api/v1/checkins", json::object{{"registration_id", present}, {"type", "entry"}}, bearer(token));
  EXPECT_EQ(r.json().at("result"), "ok");
  EXPECT_EQ(r.json().at("attendee").at("last_name"), "Schmidt");
}

// 4. A new pairing code ends every token the device had.
TEST(Security, PairingAgainRevokesTheOldTokens) {
  test_server s;
  s.create_event(event_spec("forum"));
  auto c = s.client();
  auto dev = c.post_json("/api/v1/events/forum/devices", json::object{{"name", "Tablet"}}, s.auth()).json().as_object();
  std::string created(dev.at("token").as_string());
  auto paired = c.post_json("/api/v1/devices/pair", json::object{{"code", dev.at("pairing_code")}});
  ASSERT_EQ(paired.status, 200);
  std::string lost(paired.json().at("token").as_string());
  ASSERT_EQ(c.get("/api/v1/device", bearer(lost)).status, 200);
  auto id = std::to_string(dev.at("id").as_int64());
  auto renewed = c.request("POST", "/api/v1/events/forum/devices/" + id + "/pairing", "{}", s.auth());
  ASSERT_EQ(renewed.status, 200) << renewed.body;
  EXPECT_EQ(c.get("/api/v1/device", bearer(lost)).status, 401);
  EXPECT_EQ(c.get("/api/v1/device", bearer(created)).status, 401);
  auto again = c.post_json("/api/v1/devices/pair", json::object{{"code", renewed.json().at("pairing_code")}});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(c.get("/api/v1/device", bearer(std::string(again.json().at("token").as_string()))).status, 200);
}

// 5. A session's door checks in on its own list only.
TEST(Security, ASessionsDoorCannotAdmitToAnotherList) {
  test_server s;
  auto e = s.create_event(event_spec(
      "forum", {{"sessions", json::array{json::object{{"title", "AG 1"}}, json::object{{"title", "AG 2"}}}}}));
  auto ag1 = e.at("sessions").as_array()[0].at("id").as_int64();
  auto ag2 = e.at("sessions").as_array()[1].at("id").as_int64();
  auto c = s.client();
  auto reg =
      c.post_json("/api/v1/events/forum/registrations", person("p@example.org", {{"sessions", json::array{ag1, ag2}}}));
  std::string code(reg.json().at("ticket").at("code").as_string());
  auto dev = c.post_json("/api/v1/events/forum/devices", json::object{{"name", "AG 1"}, {"list", ag1}}, s.auth());
  std::string token(dev.json().at("token").as_string());
  for (json::value list : {json::value(ag2), json::value("event")}) {
    auto r = c.post_json("/api/v1/checkins", json::object{{"code", code}, {"list", list}}, bearer(token));
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.json().at("error").at("code"), "wrong_list");
  }
  EXPECT_EQ(count(s, "SELECT count(*) FROM attendance"), 0);
  auto r = c.post_json("/api/v1/checkins", json::object{{"code", code}}, bearer(token));
  EXPECT_EQ(r.json().at("result"), "ok");
}

// 6. A cell with either separator is quoted, whichever separator the file uses.
TEST(Security, CsvQuotesBothSeparatorsWhicheverIsChosen) {
  test_server s;
  s.create_event(event_spec("forum"));
  auto c = s.client();
  c.post_json("/api/v1/events/forum/registrations",
              person("p@example.org", {{"organisation", "Müller, Meier; Söhne"}, {"last_name", "=1+2"}}));
  for (auto const* sep : {"comma", "semicolon"}) {
    auto r = c.get(std::string("/api/v1/events/forum/attendees.csv?separator=") + sep, s.auth());
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("\"Müller, Meier; Söhne\""), std::string::npos) << sep << "\n" << r.body;
    EXPECT_NE(r.body.find("\"'=1+2\""), std::string::npos) << sep;
  }
}

// 8. Sign-in and downloads use separate pools; registrations and sign-ins separate budgets.
TEST(Security, PasswordChecksCannotHoldUpADownload) {
  test_server s;
  s.create_event(event_spec("forum"));
  // Every password thread busy until released: before, downloads waited on the same pool.
  std::promise<void> release;
  auto released = release.get_future().share();
  boost::asio::io_context io;
  for (int i = 0; i < 2; ++i)
    boost::asio::co_spawn(io, s.app().blocking(einlass::server::app::pool::passwords, [released] { released.wait(); }),
                          boost::asio::detached);
  std::thread busy([&] { io.run(); });
  auto r = s.client().get("/api/v1/events/forum/attendees.csv", s.auth());
  EXPECT_EQ(r.status, 200);
  release.set_value();
  busy.join();
}

TEST(Security, RegistrationsDoNotSpendTheSignInBudget) {
  test_server s([](einlass::server::config& cfg) { cfg.rate_limit = 3; });
  s.create_event(event_spec("forum"));
  auto c = s.client();
  for (int i = 0; i < 4; ++i)
    c.post_json("/api/v1/events/forum/registrations", person("p" + std::to_string(i) + "@example.org"));
  EXPECT_EQ(c.post_json("/api/v1/events/forum/registrations", person("late@example.org")).status, 429);
  EXPECT_NE(s.login().cookie, "");
}

// 9. The Host header chooses nothing: links use --public-url or the listen address.
TEST(Security, TheHostHeaderIsNeitherReflectedNorTrusted) {
  test_server s;
  s.create_event(event_spec("forum"));
  auto c = s.client();
  auto base = "http://127.0.0.1:" + std::to_string(s.port());
  auto dev = c.request(
      "POST", "/api/v1/events/forum/devices", R"({"name":"Tür"})",
      {{"Authorization", "Bearer " + s.token()}, {"Host", "attacker.example"}, {"Content-Type", "application/json"}});
  ASSERT_EQ(dev.status, 201) << dev.body;
  EXPECT_TRUE(std::string(dev.json().at("pairing_url").as_string()).starts_with(base + "/checkin/pair/"));
  EXPECT_EQ(dev.body.find("attacker"), std::string::npos);
  auto reg = c.request("POST", "/api/v1/events/forum/registrations", json::serialize(person("h@example.org")),
                       {{"Host", "attacker.example"}, {"Content-Type", "application/json"}});
  EXPECT_TRUE(std::string(reg.json().at("ticket").at("url").as_string()).starts_with(base + "/t/"));

  for (std::string const& host : {std::string("evil.example/x"), std::string(300, 'a'), std::string("a b"),
                                  std::string("<svg>"), std::string("[::1"), std::string("host:port")}) {
    auto r = s.client().raw("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 400) << host;
  }
  for (std::string host : {"einlass.example.org", "192.168.1.20:8443", "[fe80::1]:8443", "localhost"}) {
    auto r = s.client().raw("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 200) << host;
  }
}

// 10. After a purge nothing of the people is left: not in the database file, not in the WAL,
// not in the mail folder; search terms never reach the access log.
TEST(Security, RetentionLeavesNoTraces) {
  temp_dir mails;
  test_server s([&](einlass::server::config& cfg) { cfg.mail_dir = mails.path().string(); });
  auto ended = event_spec("vergangen", {{"starts_at", "2020-03-01T10:00:00+01:00"},
                                        {"ends_at", "2020-03-01T16:00:00+01:00"},
                                        {"registration_closes_at", nullptr}});
  s.create_event(event_spec("kept"));
  auto c = s.client();
  auto made = c.post_json("/api/v1/events", ended, s.auth());
  ASSERT_EQ(made.status, 201) << made.body;
  // Registrations on the past event, made through the domain (its window is over).
  {
    einlass::checkin::database db(s.db_path());
    db.exec(
        "UPDATE events SET registration_closes_at = NULL, ends_at = '2099-01-01T00:00:00Z' WHERE slug = 'vergangen'");
  }
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(c.post_json("/api/v1/events/vergangen/registrations",
                          person("zebulon" + std::to_string(i) + "@example.org",
                                 {{"first_name", "Zebulon"}, {"last_name", "Quaxelbrink"}}))
                  .status,
              201);
  // The mails go out as files.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto eml_count = [&] {
    int n = 0;
    for (auto const& f : std::filesystem::directory_iterator(mails.path())) n += f.path().extension() == ".eml";
    return n;
  };
  while (eml_count() < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(eml_count(), 3);
  for (auto const& f : std::filesystem::directory_iterator(mails.path())) EXPECT_EQ(mode_of(f.path().string()), 0600);
  {
    einlass::checkin::database db(s.db_path());
    db.exec("UPDATE events SET ends_at = '2020-03-01T15:00:00Z', retention_days = 0 WHERE slug = 'vergangen'");
  }
  boost::asio::io_context io;
  boost::asio::co_spawn(io, s.app().housekeeping(), boost::asio::detached);
  io.run();
  EXPECT_EQ(eml_count(), 0);
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (s.app().db_writer().truncated() == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_GE(s.app().db_writer().truncated(), 1u);
  for (auto const* suffix : {"", "-wal"}) {
    auto bytes = read_all(s.db_path() + suffix);
    EXPECT_EQ(bytes.find("Quaxelbrink"), std::string::npos) << suffix;
    EXPECT_EQ(bytes.find("zebulon0@example.org"), std::string::npos) << suffix;
  }
}

TEST(Security, TheAccessLogKeepsNoSearchTerms) {
  test_server s([](einlass::server::config& cfg) { cfg.access_log = true; });
  auto c = s.client();
  testing::internal::CaptureStderr();
  c.get("/api/v1/events/forum/attendees?q=Quaxelbrink", s.auth());
  c.get("/api/v1/device/search?q=Quaxelbrink", bearer("dev_x"));
  c.get("/healthz");  // the line after them: theirs are written
  auto log = testing::internal::GetCapturedStderr();
  EXPECT_NE(log.find("/api/v1/device/search"), std::string::npos) << log;
  EXPECT_EQ(log.find("Quaxelbrink"), std::string::npos) << log;
}

// 11. Personal data and secrets are readable by their owner only.
TEST(Security, DatabaseWalShmBackupsAndKeysAreOwnerOnly) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  ASSERT_EQ(run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"},
                       "long enough password\n")
                .exit_code,
            0);
  {
    server_process server({"--db", db, "--quiet", "--tls-self-signed"});
    EXPECT_EQ(mode_of(db), 0600);
    EXPECT_EQ(mode_of(db + "-wal"), 0600);
    EXPECT_EQ(mode_of(db + "-shm"), 0600);
    EXPECT_EQ(mode_of(db + ".key.pem"), 0600);
    auto b = run_binary({"backup", "--db", db, "--to", dir.file("backup.db")});
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(mode_of(dir.file("backup.db")), 0600);
    server.signal(SIGTERM);
    server.wait();
  }
  // A database an older version left open to everyone is closed on the next start.
  ::chmod(db.c_str(), 0644);
  { einlass::checkin::database again(db); }
  EXPECT_EQ(mode_of(db), 0600);
}

// 14. /metrics: loopback, or the bearer token of --metrics-token-file.
TEST(Security, MetricsAnswerLoopbackOrTheTokenOnly) {
  test_server s([](einlass::server::config& cfg) { cfg.metrics_token = "metrics-secret-0123456789"; });
  EXPECT_EQ(s.client().get("/metrics").status, 200);
  einlass::server::request req;
  req.method = "GET";
  req.target = req.path = "/metrics";
  req.remote = "192.0.2.10";
  EXPECT_EQ(dispatch(s, req).status, 401);
  req.headers = {{"authorization", "Bearer wrong-token-0123456789"}};
  EXPECT_EQ(dispatch(s, req).status, 401);
  req.headers = {{"authorization", "Bearer metrics-secret-0123456789"}};
  auto ok = dispatch(s, req);
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("einlass_"), std::string::npos);
  req.remote = "::ffff:127.0.0.1";
  req.headers.clear();
  EXPECT_EQ(dispatch(s, req).status, 200);
}

// 15. Every answer carries a Date (RFC 9110), errors too.
TEST(Security, EveryResponseCarriesADate) {
  test_server s;
  auto c = s.client();
  std::regex imf(
      R"(^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$)");
  for (auto const* path : {"/healthz", "/nowhere", "/api/v1/me", "/admin"}) {
    auto r = c.get(path);
    EXPECT_TRUE(std::regex_match(r.header("date"), imf)) << path << ": '" << r.header("date") << "'";
  }
  EXPECT_EQ(einlass::server::http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

// 13. TLS: no CBC suite, TLS 1.2 and later only, the server's order; plain HTTP on the HTTPS
// port gets a redirect to https instead of a closed connection.
TEST(Security, TlsOffersOnlyAeadSuitesAndRedirectsPlainHttp) {
  test_server s([&](einlass::server::config& cfg) { cfg.tls_self_signed = true; });
  auto port = std::to_string(s.port());
  auto r = s.client().raw("GET /checkin?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(r.status, 308);
  EXPECT_EQ(r.header("location"), "https://127.0.0.1:" + port + "/checkin?x=1");

  auto handshake = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost"});
    return run_program("/usr/bin/openssl", args, "Q\n");
  };
  EXPECT_EQ(handshake({"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"}).exit_code, 0);
  EXPECT_NE(handshake({"-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:AES128-SHA"}).exit_code,
            0);
  EXPECT_NE(handshake({"-tls1_1"}).exit_code, 0);
  // The server picks from its own list: GCM first, though the client prefers ChaCha20.
  auto pref = handshake({"-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256"});
  EXPECT_NE(pref.out.find("ECDHE-ECDSA-AES128-GCM-SHA256"), std::string::npos) << pref.out;
}

// The same, as an independent scanner sees it: testssl.sh from Debian.
TEST(Security, TestsslFindsNoCbcAndNoOldProtocol) {
  if (!std::filesystem::exists("/usr/bin/testssl"))
    GTEST_SKIP() << "testssl.sh is not installed (.ci/setup installs it)";
  temp_dir dir;
  test_server s([&](einlass::server::config& cfg) { cfg.tls_self_signed = true; });
  auto json_file = dir.file("testssl.json");
  auto r = run_program("/usr/bin/testssl",
                       {"--quiet", "--color", "0", "--warnings", "off", "--sneaky", "--fast", "-p", "-E", "--jsonfile",
                        json_file, "127.0.0.1:" + std::to_string(s.port())},
                       {}, std::chrono::minutes(10));  // 20 s alone; much longer beside other tests or under TSan
  auto findings = json::parse(read_all(json_file)).as_array();
  ASSERT_GT(findings.size(), 5u) << r.out << r.err;
  int ciphers = 0;
  for (auto const& f : findings) {
    std::string id(f.at("id").as_string()), finding(f.at("finding").as_string());
    if (id == "SSLv2" || id == "SSLv3" || id == "TLS1" || id == "TLS1_1") {
      EXPECT_NE(finding.find("not offered"), std::string::npos) << id;
    }
    if (id == "TLS1_2" || id == "TLS1_3") {
      EXPECT_EQ(finding.find("not offered"), std::string::npos) << id << ": " << finding;
    }
    if (id.starts_with("cipher-tls1_2") || id.starts_with("cipher-tls1_3")) {
      ++ciphers;
      EXPECT_EQ(finding.find("CBC"), std::string::npos) << finding;
    }
  }
  EXPECT_GT(ciphers, 2) << r.out;
}

// Access an admin manages: disable (sessions and tokens stop at once), enable, change a role,
// never the last admin; organisers take a share back.
TEST(Access, ADisabledAccountStopsAtOnceAndItsEventsStayWithTheOthers) {
  test_server s;
  auto admin = s.add_user("admin@example.org", "admin");
  auto colleague = s.add_user("kollegin@example.org", "organiser");
  s.create_event(event_spec("forum"));
  auto c = s.client();
  ASSERT_EQ(
      c.post_json("/api/v1/events/forum/organisers", json::object{{"email", "kollegin@example.org"}}, s.auth()).status,
      200);
  auto browser = s.login();
  ASSERT_EQ(c.get("/api/v1/me", browser.headers()).status, 200);
  std::int64_t id = 0;
  auto users = c.get("/api/v1/users", bearer(admin)).json();
  for (auto const& u : users.at("users").as_array())
    if (u.at("email") == "organiser@example.org") id = u.at("id").as_int64();
  ASSERT_NE(id, 0);
  auto path = "/api/v1/users/" + std::to_string(id);

  EXPECT_EQ(c.request("POST", path + "/disable", "{}", bearer(colleague)).status, 403);
  auto off = c.request("POST", path + "/disable", "{}", bearer(admin));
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_FALSE(off.json().at("disabled_at").is_null());
  EXPECT_EQ(c.get("/api/v1/me", s.auth()).status, 401);
  EXPECT_EQ(c.get("/api/v1/me", browser.headers()).status, 401);
  EXPECT_EQ(s.login().cookie, "");
  EXPECT_EQ(c.get("/api/v1/events/forum/stats", bearer(colleague)).status, 200)
      << "the event stays with its other organisers";

  ASSERT_EQ(c.request("POST", path + "/enable", "{}", bearer(admin)).status, 200);
  EXPECT_NE(s.login().cookie, "");
  EXPECT_EQ(c.get("/api/v1/me", s.auth()).status, 401) << "tokens revoked by the disable stay revoked";

  auto role = c.request("PATCH", path, R"({"role":"admin"})", bearer(admin));
  ASSERT_EQ(role.status, 200) << role.body;
  EXPECT_EQ(role.json().at("role"), "admin");
  EXPECT_EQ(count(s, "SELECT count(*) FROM audit_log WHERE action = 'user.change'"), 3);
}

TEST(Access, NobodyRemovesOrDemotesTheLastAdmin) {
  test_server s;
  auto admin = s.add_user("admin@example.org", "admin");
  auto c = s.client();
  auto me = count(s, "SELECT id FROM users WHERE email = 'admin@example.org'");
  auto path = "/api/v1/users/" + std::to_string(me);
  auto r = c.request("POST", path + "/disable", "{}", bearer(admin));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json().at("error").at("code"), "last_admin");
  EXPECT_EQ(c.request("PATCH", path, R"({"role":"organiser"})", bearer(admin)).status, 409);
  EXPECT_EQ(c.get("/api/v1/me", bearer(admin)).status, 200);
  // With a second admin, the first may step down.
  s.add_user("zweite@example.org", "admin");
  EXPECT_EQ(c.request("PATCH", path, R"({"role":"organiser"})", bearer(admin)).status, 200);
}

TEST(Access, AnOrganiserTakesAShareBack) {
  test_server s;
  auto colleague = s.add_user("kollegin@example.org", "organiser");
  s.create_event(event_spec("forum"));
  auto c = s.client();
  ASSERT_EQ(
      c.post_json("/api/v1/events/forum/organisers", json::object{{"email", "kollegin@example.org"}}, s.auth()).status,
      200);
  ASSERT_EQ(c.get("/api/v1/events/forum/stats", bearer(colleague)).status, 200);
  auto uid = count(s, "SELECT id FROM users WHERE email = 'kollegin@example.org'");
  auto list = c.get("/api/v1/events/forum/organisers", s.auth()).json();
  ASSERT_EQ(list.at("organisers").as_array().size(), 2u);
  EXPECT_EQ(list.at("organisers").as_array()[0].at("email"), "organiser@example.org");
  EXPECT_EQ(list.at("organisers").as_array()[0].at("owner"), true);
  EXPECT_EQ(list.at("organisers").as_array()[1].at("id"), uid);
  auto r = c.request("DELETE", "/api/v1/events/forum/organisers/" + std::to_string(uid), "", s.auth());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(c.get("/api/v1/events/forum/stats", bearer(colleague)).status, 403);
  EXPECT_EQ(c.request("DELETE", "/api/v1/events/forum/organisers/" + std::to_string(uid), "", s.auth()).status, 404);
}

// 12. What mkcert does: a local CA with pathlen 0 and name constraints to this machine, and a
// server certificate it signs (CA:FALSE, serverAuth, at most 397 days); tablets fetch the CA
// once at /ca.crt. A certificate for another name, signed with the CA key, is refused.
TEST(Security, SelfSignedMeansALocalConstrainedCaAndAShortLivedLeaf) {
  test_server s([&](einlass::server::config& cfg) { cfg.tls_self_signed = true; });
  auto const& db = s.db_path();
  auto openssl = [](std::vector<std::string> args) { return run_program("/usr/bin/openssl", args); };
  auto ca = openssl({"x509", "-in", db + ".ca.pem", "-noout", "-text"}).out;
  EXPECT_NE(ca.find("CA:TRUE, pathlen:0"), std::string::npos) << ca;
  EXPECT_NE(ca.find("X509v3 Name Constraints: critical"), std::string::npos) << ca;
  EXPECT_NE(ca.find("DNS:localhost"), std::string::npos);
  EXPECT_NE(ca.find("IP:127.0.0.1/255.255.255.255"), std::string::npos);
  auto leaf = openssl({"x509", "-in", db + ".cert.pem", "-noout", "-text"}).out;
  EXPECT_NE(leaf.find("CA:FALSE"), std::string::npos) << leaf;
  EXPECT_NE(leaf.find("TLS Web Server Authentication"), std::string::npos);
  EXPECT_EQ(openssl({"x509", "-in", db + ".cert.pem", "-noout", "-checkend", std::to_string(397 * 86400)}).exit_code, 1)
      << "valid for at most 397 days";
  EXPECT_EQ(openssl({"x509", "-in", db + ".cert.pem", "-noout", "-checkend", std::to_string(390 * 86400)}).exit_code,
            0);
  EXPECT_EQ(mode_of(db + ".ca-key.pem"), 0600);
  EXPECT_EQ(mode_of(db + ".key.pem"), 0600);
  auto verified = openssl({"verify", "-CAfile", db + ".ca.pem", "-purpose", "sslserver", db + ".cert.pem"});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  // The CA key cannot make a certificate for a site that is not this machine.
  temp_dir dir;
  auto csr = dir.file("evil.csr"), key = dir.file("evil.key"), evil = dir.file("evil.pem"), ext = dir.file("ext.cnf");
  std::ofstream(ext) << "subjectAltName=DNS:bank.example\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
  ASSERT_EQ(openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key,
                     "-subj", "/CN=bank.example", "-out", csr})
                .exit_code,
            0);
  ASSERT_EQ(openssl({"x509", "-req", "-in", csr, "-CA", db + ".ca.pem", "-CAkey", db + ".ca-key.pem", "-CAcreateserial",
                     "-days", "30", "-extfile", ext, "-out", evil})
                .exit_code,
            0);
  auto refused = openssl({"verify", "-CAfile", db + ".ca.pem", evil});
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  EXPECT_NE((refused.out + refused.err).find("permitted"), std::string::npos) << refused.out << refused.err;

  auto served = s.client().get("/ca.crt");
  EXPECT_EQ(served.status, 308) << "plain HTTP on the HTTPS port";
  auto fetched = run_program("/usr/bin/curl", {"-sS", "--cacert", db + ".ca.pem",
                                               "https://127.0.0.1:" + std::to_string(s.port()) + "/ca.crt"});
  EXPECT_EQ(fetched.out, read_all(db + ".ca.pem"));
}

namespace {

// A sign-in-free form of the workspace, as a browser posts it: its double-submit cookie and token.
http_result post_workspace_form(http_client& c, std::string const& page, std::string const& action,
                                std::string const& fields) {
  auto form = c.get(page);
  auto csrf = form_field(form.body, "csrf");
  return c.request("POST", action, "csrf=" + csrf + "&" + fields,
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "einlass_login=" + csrf}});
}

// The plain text of every .eml in `dir`, read with Python's strict e-mail parser.
std::vector<std::string> mail_texts(std::string const& dir) {
  auto r = run_program("/usr/bin/python3",
                       {"-c",
                        "import email, glob, json, sys\nfrom email import policy\n"
                        "print(json.dumps([email.message_from_binary_file(open(f, 'rb'), policy=policy.strict)"
                        ".get_body(('plain',)).get_content() for f in sorted(glob.glob(sys.argv[1] + '/*.eml'))]))",
                        dir});
  std::vector<std::string> out;
  if (r.exit_code != 0) throw std::runtime_error("reading mails: " + r.err);
  auto texts = json::parse(r.out);
  for (auto const& t : texts.as_array()) out.emplace_back(t.as_string());
  return out;
}

}  // namespace

TEST(Access, ForgotPasswordSendsAOneTimeLinkAndAnswersAlikeForEveryAddress) {
  temp_dir mails;
  test_server s([&](einlass::server::config& cfg) { cfg.mail_dir = mails.path().string(); });
  auto c = s.client();
  auto before = s.login();
  ASSERT_NE(before.cookie, "");
  auto known = post_workspace_form(c, "/admin/forgot", "/admin/forgot", "email=Organiser%40Example.org");
  auto unknown = post_workspace_form(c, "/admin/forgot", "/admin/forgot", "email=nobody%40example.org");
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(unknown.status, 200);
  auto notice = [](std::string const& html) {
    auto from = html.find("class=\"notice\"");
    return html.substr(from, html.find("<form") - from);
  };
  EXPECT_EQ(notice(known.body), notice(unknown.body)) << "the same answer whether the address exists or not";
  EXPECT_EQ(post_workspace_form(c, "/admin/forgot", "/admin/forgot", "email=x%40example.org").status, 200);
  EXPECT_EQ(c.request("POST", "/admin/forgot", "email=organiser%40example.org",
                      {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            403)
      << "no token, no mail";

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::vector<std::string> texts;
  while ((texts = mail_texts(mails.path().string())).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  texts = mail_texts(mails.path().string());
  ASSERT_EQ(texts.size(), 1u) << "one mail, to the address that has an account";
  std::smatch m;
  ASSERT_TRUE(std::regex_search(texts[0], m, std::regex(R"(http://127\.0\.0\.1:\d+(/admin/reset/[A-Z2-7]+))")))
      << texts[0];
  auto link = m[1].str();

  EXPECT_EQ(c.get(link).status, 200);
  EXPECT_EQ(post_workspace_form(c, link, link, "password=short").status, 422);
  auto done = post_workspace_form(c, link, link, "password=a+brand+new+password");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(done.header("location"), "/admin");
  EXPECT_EQ(c.get("/api/v1/me", before.headers()).status, 401) << "every earlier login ended";
  EXPECT_EQ(s.login().cookie, "") << "the old password no longer works";
  EXPECT_NE(s.login("organiser@example.org", "a brand new password").cookie, "");
  EXPECT_EQ(c.get(link).status, 404) << "one time only";
  EXPECT_EQ(post_workspace_form(c, "/admin/forgot", link, "password=yet+another+password").status, 404);
}

TEST(Access, AnAdminMakesAResetLinkThatLastsOneHour) {
  test_server s;
  auto admin = s.add_user("admin@example.org", "admin");
  auto c = s.client();
  auto id = count(s, "SELECT id FROM users WHERE email = 'organiser@example.org'");
  auto path = "/api/v1/users/" + std::to_string(id) + "/password-reset";
  EXPECT_EQ(c.request("POST", path, "{}", s.auth()).status, 403);
  auto r = c.request("POST", path, "{}", bearer(admin));
  ASSERT_EQ(r.status, 201) << r.body;
  std::string url(r.json().at("url").as_string());
  auto link = url.substr(url.find("/admin/reset/"));
  EXPECT_EQ(c.get(link).status, 200);
  {
    einlass::checkin::database db(s.db_path());
    db.exec("UPDATE password_resets SET expires_at = '2000-01-01T00:00:00Z'");
  }
  EXPECT_EQ(c.get(link).status, 404) << "an hour later";
  // Expired codes and logins (they hold a browser and an address) go with the next housekeeping.
  {
    einlass::checkin::database db(s.db_path());
    db.exec("UPDATE login_sessions SET expires_at = '2000-01-01T00:00:00Z'");
  }
  s.login();
  boost::asio::io_context io;
  boost::asio::co_spawn(io, s.app().housekeeping(), boost::asio::detached);
  io.run();
  EXPECT_EQ(count(s, "SELECT count(*) FROM password_resets"), 0);
  EXPECT_EQ(count(s, "SELECT count(*) FROM login_sessions WHERE expires_at < '2001-01-01'"), 0);
  EXPECT_EQ(count(s, "SELECT count(*) FROM login_sessions"), 1) << "the current login stays";
}

TEST(Access, EveryLoginIsListedAndOneCanBeEndedFromAnother) {
  test_server s;
  auto c = s.client();
  auto here = s.login();
  auto there = s.login();
  auto sessions = c.get("/api/v1/me/sessions", here.headers()).json();
  auto const& list = sessions.at("sessions").as_array();
  ASSERT_EQ(list.size(), 2u);
  std::string other;
  int current = 0;
  for (auto const& row : list) {
    if (row.at("current").as_bool()) ++current;
    else other = std::string(row.at("id").as_string());
    EXPECT_EQ(row.at("address"), "127.0.0.1");
  }
  EXPECT_EQ(current, 1);
  EXPECT_EQ(c.request("DELETE", "/api/v1/me/sessions/" + other, "", here.headers(false)).status, 403) << "CSRF";
  EXPECT_EQ(c.request("DELETE", "/api/v1/me/sessions/" + other, "", here.headers()).status, 200);
  EXPECT_EQ(c.get("/api/v1/me", there.headers()).status, 401);
  EXPECT_EQ(c.get("/api/v1/me", here.headers()).status, 200);
  // Another account's login cannot be ended from here.
  auto colleague = s.add_user("kollegin@example.org", "organiser", "her own long password");
  auto hers = s.login("kollegin@example.org", "her own long password");
  auto her_sessions = c.get("/api/v1/me/sessions", hers.headers()).json();
  auto her_id = std::string(her_sessions.at("sessions").as_array()[0].at("id").as_string());
  EXPECT_EQ(c.request("DELETE", "/api/v1/me/sessions/" + her_id, "", here.headers()).status, 404);
  EXPECT_EQ(c.get("/api/v1/me", hers.headers()).status, 200);
}

// 12, renewal: a server certificate near its end (or missing an address) is renewed by the
// running server, under the same CA, and new connections get the new one.
TEST(Security, TheServerCertificateRenewsItselfUnderTheSameCa) {
  test_server s([&](einlass::server::config& cfg) { cfg.tls_self_signed = true; });
  auto db = s.db_path();
  EXPECT_FALSE(s.http().renew_tls()) << "nothing to do for a fresh certificate";
  temp_dir dir;
  auto csr = dir.file("short.csr"), ext = dir.file("ext.cnf");
  std::ofstream(ext)
      << "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
  ASSERT_EQ(
      run_program("/usr/bin/openssl", {"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                       "-keyout", db + ".key.pem", "-subj", "/CN=localhost", "-out", csr})
          .exit_code,
      0);
  ASSERT_EQ(
      run_program("/usr/bin/openssl", {"x509", "-req", "-in", csr, "-CA", db + ".ca.pem", "-CAkey", db + ".ca-key.pem",
                                       "-CAcreateserial", "-days", "10", "-extfile", ext, "-out", db + ".cert.pem"})
          .exit_code,
      0);
  auto ca_before = read_all(db + ".ca.pem");
  EXPECT_TRUE(s.http().renew_tls());
  EXPECT_EQ(read_all(db + ".ca.pem"), ca_before) << "the CA tablets trust stays";
  auto served = run("openssl s_client -connect 127.0.0.1:" + std::to_string(s.port()) + " -CAfile '" + db +
                    ".ca.pem' -verify_return_error </dev/null 2>/dev/null | openssl x509 -noout -checkend " +
                    std::to_string(300 * 86400) + " && echo fresh");
  EXPECT_NE(served.find("fresh"), std::string::npos) << served;
}

// The first-byte check on the HTTPS port does not let a silent client hold a connection:
// like a handshake that never comes, it is dropped (here: at shutdown, which ends the wait).
TEST(Security, ASilentClientOnTheHttpsPortDoesNotHoldUpShutdown) {
  test_server s([&](einlass::server::config& cfg) { cfg.tls_self_signed = true; });
  auto silent = s.client();
  // Connected, sends nothing; wait (bounded) until the server has taken the connection.
  ASSERT_TRUE(wait_until([&] { return s.app().stats().open_connections() == 1; }));
  auto t0 = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(9)) << "not held until the 10 s deadline";
}
