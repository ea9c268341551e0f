// Many people at once for the last seats: exactly as many confirmed as there are seats.
#include "checkin/db.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <map>
#include <mutex>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;

namespace {

// Sends n registrations at the same moment, one connection each; returns status -> count
// and "status:<registration status>" -> count for the 201s.
std::map<std::string, int> race(test_server& s, std::string const& slug, int n, json::object extra = {}) {
  std::vector<http_client> clients;
  for (int i = 0; i < n; ++i) clients.push_back(s.client());  // all connected before the start
  std::barrier start(n);
  std::mutex m;
  std::map<std::string, int> seen;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      auto body = person("person" + std::to_string(i) + "@example.org", extra);
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)].post_json("/api/v1/events/" + slug + "/registrations", body);
      std::lock_guard lock(m);
      ++seen[std::to_string(r.status)];
      if (r.status == 201) ++seen["status:" + std::string(r.json().at("status").as_string())];
      else ++seen["error:" + std::string(r.json().at("error").at("code").as_string())];
    });
  for (auto& t : threads) t.join();
  return seen;
}

std::int64_t count(std::string const& db_path, std::string const& sql) {
  einlass::checkin::database db(db_path, einlass::checkin::database::mode::read_only);
  auto st = db.prepare(sql);
  return st.step() ? st.int64(0) : -1;
}

}  // namespace

TEST(Capacity, TwoHundredAtOnceForFiftySeatsConfirmExactlyFifty) {
  test_server s;
  s.create_event(event_spec("letzte-plaetze", {{"capacity", 50}}));
  auto seen = race(s, "letzte-plaetze", 200);
  EXPECT_EQ(seen["201"], 50);
  EXPECT_EQ(seen["409"], 150);
  EXPECT_EQ(seen["error:event_full"], 150);
  EXPECT_EQ(count(s.db_path(), "SELECT count(*) FROM registrations WHERE status = 'confirmed'"), 50);
  EXPECT_EQ(count(s.db_path(), "SELECT count(*) FROM registrations"), 50);
  EXPECT_EQ(s.client().get("/api/v1/events/letzte-plaetze").json().at("seats_left").as_int64(), 0);
}

TEST(Capacity, WithAWaitingListTheRestWaits) {
  test_server s;
  s.create_event(event_spec("mit-warteliste", {{"capacity", 50}, {"waitlist", true}}));
  auto seen = race(s, "mit-warteliste", 200);
  EXPECT_EQ(seen["201"], 200);
  EXPECT_EQ(seen["status:confirmed"], 50);
  EXPECT_EQ(seen["status:waitlisted"], 150);
  EXPECT_EQ(count(s.db_path(), "SELECT count(*) FROM registrations WHERE status = 'confirmed'"), 50);
}

TEST(Capacity, ASessionIsNeverOverbookedEither) {
  test_server s;
  auto e = s.create_event(event_spec(
      "ag-rennen", {{"capacity", 500}, {"sessions", json::array{json::object{{"title", "AG 1"}, {"capacity", 10}}}}}));
  auto sid = e.at("sessions").as_array()[0].at("id").as_int64();
  auto seen = race(s, "ag-rennen", 100, {{"sessions", json::array{sid}}});
  EXPECT_EQ(seen["201"], 10);
  EXPECT_EQ(seen["error:session_full"], 90);
  EXPECT_EQ(count(s.db_path(), "SELECT count(*) FROM registration_sessions"), 10);
}

TEST(Capacity, TheSameEmailAtOnceRegistersOnce) {
  test_server s;
  s.create_event(event_spec("doppelt"));
  std::vector<http_client> clients;
  for (int i = 0; i < 20; ++i) clients.push_back(s.client());
  std::barrier start(20);
  std::atomic<int> created = 0, duplicate = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      auto r = clients[static_cast<std::size_t>(i)].post_json("/api/v1/events/doppelt/registrations",
                                                              person("same@example.org"));
      (r.status == 201 ? created : duplicate)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(duplicate, 19);
}
