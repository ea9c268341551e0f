// The command line as the contract states it: exit codes, one line on stderr.
#include "checkin/db.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace einlass::test;

namespace {
int lines(std::string const& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }
}  // namespace

TEST(Cli, UsageErrorsExitWithTwoAndOneLine) {
  for (auto const& args : std::vector<std::vector<std::string>>{{},
                                                                {"frobnicate"},
                                                                {"serve", "--listen"},
                                                                {"serve", "--threads", "zero"},
                                                                {"user", "add", "--email", "x@y.de"},
                                                                {"serve", "--tls-cert", "a.pem"}}) {
    auto r = run_binary(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("einlass: ")) << r.err;
  }
  auto ca =
      run_binary({"serve", "--db", "x.db", "--smtp", "mail.example.org:587", "--smtp-ca-file", "/nonexistent/ca.pem"});
  EXPECT_EQ(ca.exit_code, 1);
  EXPECT_EQ(ca.err, "einlass: cannot read /nonexistent/ca.pem\n");
}

TEST(Cli, UserTokenEventAndBackup) {
  temp_dir dir;
  test_database storage(dir);
  auto const& db = storage.target();
  auto add = run_binary({"user", "add", "--db", db, "--email", "Orga@Example.org", "--role", "organiser"},
                        "geheim-und-lang\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;

  // --database is --db's longer name.
  auto token = run_binary({"token", "create", "--database", db, "--email", "orga@example.org"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_EQ(lines(token.out), 1);
  EXPECT_TRUE(token.out.starts_with("ein_"));
  EXPECT_TRUE(token.err.empty());

  auto unknown = run_binary({"token", "create", "--db", db, "--email", "nobody@example.org"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(lines(unknown.err), 1);

  auto short_pw = run_binary({"user", "add", "--db", db, "--email", "x@example.org", "--role", "admin"}, "kurz\n");
  EXPECT_EQ(short_pw.exit_code, 1);

  auto event = run_binary({"event", "create", "--db", db, "--email", "orga@example.org"},
                          boost::json::serialize(event_spec("workshop-q1")));
  ASSERT_EQ(event.exit_code, 0) << event.err;
  EXPECT_NE(event.out.find("\"slug\":\"workshop-q1\""), std::string::npos);
  auto bad_event = run_binary({"event", "create", "--db", db, "--email", "orga@example.org"}, "{\"slug\":\"x\"}");
  EXPECT_EQ(bad_event.exit_code, 1);
  EXPECT_NE(bad_event.err.find("invalid event"), std::string::npos);

  // Online backup while a server has the database open (SQLite; PostgreSQL has pg_dump).
  server_process server({"--db", db, "--quiet"});
  auto backup = run_binary({"backup", "--db", db, "--to", dir.file("copy.db")});
  if (on_postgresql()) {
    EXPECT_EQ(backup.exit_code, 1);
    EXPECT_NE(backup.err.find("pg_dump"), std::string::npos) << backup.err;
    return;
  }
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  einlass::checkin::database copy(dir.file("copy.db"), einlass::checkin::database::mode::read_only);
  auto st = copy.prepare("SELECT title FROM events WHERE slug = 'workshop-q1'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "Netzwerktreffen Fachkräfte workshop-q1");
}

TEST(Cli, ServeDemoPrintsTheUrlsToOpen) {
  temp_dir dir;
  test_database storage(dir, "demo.db");
  server_process p({"--db", storage.target(), "--demo", "--quiet"});
  EXPECT_NE(p.banner().find("/e/netzwerktreffen-leipzig"), std::string::npos) << p.banner();
  EXPECT_NE(p.banner().find("/checkin/pair/"), std::string::npos) << p.banner();
  http_client c(p.port());
  auto e = c.get("/api/v1/events/netzwerktreffen-leipzig");
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.json().at("sessions").as_array().size(), 3u);
}

TEST(Cli, DoorDevicesFromTheCommandLine) {
  temp_dir dir;
  test_database storage(dir);
  auto const& db = storage.target();
  ASSERT_EQ(
      run_binary({"user", "add", "--db", db, "--email", "o@example.org", "--role", "organiser"}, "long enough pw\n")
          .exit_code,
      0);
  ASSERT_EQ(run_binary({"event", "create", "--db", db, "--email", "o@example.org"},
                       boost::json::serialize(event_spec("tuer-cli")))
                .exit_code,
            0);
  auto add = run_binary({"device", "add", "--db", db, "--event", "tuer-cli", "--name", "Eingang Nord", "--public-url",
                         "https://10.0.0.5:8443/"});
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("pairing link (valid 72 h, once): https://10.0.0.5:8443/checkin/pair/"), std::string::npos)
      << add.out;
  EXPECT_NE(add.out.find("\u2588"), std::string::npos);  // the QR code, drawn for the terminal
  auto list = run_binary({"device", "list", "--db", db, "--event", "tuer-cli"});
  EXPECT_EQ(list.out, "1\tEingang Nord\tevent\tnot paired\n");
  EXPECT_EQ(run_binary({"device", "revoke", "--db", db, "--event", "tuer-cli", "--id", "1"}).exit_code, 0);
  EXPECT_EQ(run_binary({"device", "list", "--db", db, "--event", "tuer-cli"}).out, "1\tEingang Nord\tevent\trevoked\n");
  auto bad = run_binary({"device", "add", "--db", db, "--event", "tuer-cli", "--name", "X", "--list", "99"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("invalid device: list"), std::string::npos);
  EXPECT_EQ(run_binary({"device", "add", "--db", db, "--event", "nope", "--name", "X"}).exit_code, 1);
}
