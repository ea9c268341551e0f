// Faults the server must survive: a full disk, and input of every wrong shape. Each test
// runs the real binary or the real server and bounds every loop in count and time.
#include "checkin/db.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <set>

using namespace einlass::test;
namespace json = boost::json;

namespace {

std::string error_code(http_result const& r) {
  auto v = r.json();
  return v.is_object() && v.as_object().contains("error") ? std::string(v.at("error").at("code").as_string()) : "";
}

}  // namespace

// The disk fills up (a file-size limit on the server process), then space returns.
TEST(StorageFaults, AFullDiskAnswers503LosesNothingAndRecoversByItself) {
  temp_dir dir;
  auto db = dir.file("einlass.db");
  run_binary({"user", "add", "--db", db, "--email", "orga@example.org", "--role", "organiser"}, "a long password\n");
  auto token = run_binary({"token", "create", "--db", db, "--email", "orga@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  auto limit = std::filesystem::file_size(db) + 4 * 1024 * 1024;
    // Only the soft limit: the process may raise it again (what "space returns" stands for here).
  server_process server("/usr/bin/prlimit", {"--fsize=" + std::to_string(limit) + ":unlimited", einlass_binary(), "serve", "--db", db,
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
  auto page = c.request("POST", "/e/voll",
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
  auto ok = check.prepare("PRAGMA integrity_check");
  ASSERT_TRUE(ok.step());
  EXPECT_EQ(ok.text(0), "ok");
  std::set<std::string> stored;
  auto rows = check.prepare("SELECT email FROM registrations");
  while (rows.step()) stored.insert(rows.text(0));
  EXPECT_EQ(stored, acknowledged) << "every acknowledged registration is there, and nothing else";
  auto seats = check.prepare("SELECT confirmed_count FROM events WHERE slug = 'voll'");
  ASSERT_TRUE(seats.step());
  EXPECT_EQ(seats.int64(0), static_cast<std::int64_t>(acknowledged.size())) << "counters match the rows";
}
