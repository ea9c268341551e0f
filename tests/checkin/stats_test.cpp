#include "checkin/stats.hpp"

#include "checkin/attendees.hpp"
#include "checkin/checkins.hpp"
#include "checkin/devices.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;
using std::chrono::minutes;

namespace {

// A forum with two working groups and people whose answers and arrivals are known.
struct seeded : db_fixture {
  event e;
  std::vector<registration> r;
  device foyer, side, group_door;

  seeded() {
    e = make_event(event_spec("forum", {{"capacity", 6},
                                        {"waitlist", true},
                                        {"sessions", json::array{json::object{{"title", "AG 1"}, {"capacity", 10}},
                                                                 json::object{{"title", "AG 2"}}}}}));
    auto s1 = e.sessions[0].id, s2 = e.sessions[1].id;
    auto add = [&](std::string const& email, std::string const& type, std::vector<std::int64_t> sessions) {
      json::array ss;
      for (auto s : sessions) ss.emplace_back(s);
      r.push_back(*register_json(*find_event(db, e.id), person(email, {{"organisation_type", type}, {"sessions", ss}})));
    };
    add("r1@example.org", "company", {s1});
    add("r2@example.org", "company", {s1});
    add("r3@example.org", "company", {});
    add("r4@example.org", "job_centre", {s2});
    add("r5@example.org", "job_centre", {});
    add("r6@example.org", "education_provider", {s2});
    add("r7@example.org", "chamber", {});               // waits: the event is full
    add("r8@example.org", "migrant_organisation", {});  // waits, then cancels
    transaction tx(db);
    e = *find_event(db, e.id);
    (void)cancel_registration(db, e, r[7].id, now());
    foyer = create_device(db, e.id, "Foyer", 0, now())->dev;
    side = create_device(db, e.id, "Seiteneingang", 0, now())->dev;
    group_door = create_device(db, e.id, "Raum AG 1", s1, now())->dev;
    scan(foyer, 0, 0, e.starts_at - minutes(58));  // 09:02
    scan(foyer, 1, 0, e.starts_at - minutes(50));  // 09:10
    scan(foyer, 2, 0, e.starts_at - minutes(40));  // 09:20
    scan(side, 3, 0, e.starts_at - minutes(13));   // 09:47
    scan(foyer, 0, 0, e.starts_at - minutes(5));   // again: already checked in, counts nothing
    scan(group_door, 0, s1, e.starts_at + minutes(20));
    tx.commit();
    e = *find_event(db, e.id);
  }

  void scan(device const& d, std::size_t who, std::int64_t list, sys_seconds at) {
    scan_request s{d, r[who].ticket_code, std::nullopt, list, "entry", random_nonce(), std::nullopt};
    prepare_scan(db, s);
    (void)record_scan(db, s, at);
  }
  static std::string random_nonce() {
    static int n = 0;
    return "n" + std::to_string(++n);
  }
};

}  // namespace

TEST(Stats, CountsOfASeededEvent) {
  seeded f;
  auto s = compute_stats(f.db, f.e);
  EXPECT_EQ(s.registered, 8);
  EXPECT_EQ(s.confirmed, 6);
  EXPECT_EQ(s.waitlisted, 1);
  EXPECT_EQ(s.cancelled, 1);
  EXPECT_EQ(s.checked_in, 4);
  EXPECT_EQ(s.inside, 4);
  EXPECT_EQ(s.no_shows, 2);
  EXPECT_DOUBLE_EQ(s.no_show_rate, 2.0 / 6.0);
}

TEST(Stats, BySessionCountsSeatsPresenceAndTheSessionsOwnDoor) {
  seeded f;
  auto s = compute_stats(f.db, f.e);
  ASSERT_EQ(s.by_session.size(), 2u);
  auto const& g1 = s.by_session[0];
  EXPECT_EQ(g1.title, "AG 1");
  EXPECT_EQ(g1.capacity, 10);
  EXPECT_EQ(g1.confirmed, 2);
  EXPECT_EQ(g1.present, 2);
  EXPECT_EQ(g1.checked_in, 1);
  auto const& g2 = s.by_session[1];
  EXPECT_EQ(g2.confirmed, 2);
  EXPECT_EQ(g2.present, 1);
  EXPECT_EQ(g2.checked_in, 0);
}

TEST(Stats, ByOrganisationTypeInTheCataloguesOrder) {
  seeded f;
  auto s = compute_stats(f.db, f.e);
  std::vector<std::string> order;
  for (auto const& t : s.by_organisation_type) order.push_back(t.type);
  EXPECT_EQ(order, (std::vector<std::string>{"company", "chamber", "job_centre", "education_provider",
                                             "migrant_organisation"}));
  auto row = [&](std::string_view type) {
    for (auto const& t : s.by_organisation_type)
      if (t.type == type) return std::vector<std::int64_t>{t.confirmed, t.waitlisted, t.cancelled, t.checked_in};
    return std::vector<std::int64_t>{};
  };
  EXPECT_EQ(row("company"), (std::vector<std::int64_t>{3, 0, 0, 3}));
  EXPECT_EQ(row("job_centre"), (std::vector<std::int64_t>{2, 0, 0, 1}));
  EXPECT_EQ(row("education_provider"), (std::vector<std::int64_t>{1, 0, 0, 0}));
  EXPECT_EQ(row("chamber"), (std::vector<std::int64_t>{0, 1, 0, 0}));
  EXPECT_EQ(row("migrant_organisation"), (std::vector<std::int64_t>{0, 0, 1, 0}));
}

TEST(Stats, ArrivalsPerIntervalWithGapsFilled) {
  seeded f;
  auto s = compute_stats(f.db, f.e, 15);
  ASSERT_EQ(s.arrivals.size(), 4u);
  std::vector<std::int64_t> counts;
  for (auto const& b : s.arrivals) counts.push_back(b.count);
  EXPECT_EQ(counts, (std::vector<std::int64_t>{2, 1, 0, 1}));
  EXPECT_EQ(to_iso8601(s.arrivals[0].at, "Europe/Berlin").substr(11, 5), "09:00");
  EXPECT_EQ(to_iso8601(s.arrivals[3].at, "Europe/Berlin").substr(11, 5), "09:45");
  auto hourly = compute_stats(f.db, f.e, 60);
  ASSERT_EQ(hourly.arrivals.size(), 1u);
  EXPECT_EQ(hourly.arrivals[0].count, 4);
}

TEST(Stats, AdmissionsPerDevice) {
  seeded f;
  auto s = compute_stats(f.db, f.e);
  ASSERT_EQ(s.by_device.size(), 2u);
  EXPECT_EQ(s.by_device[0].name, "Foyer");
  EXPECT_EQ(s.by_device[0].admitted, 3);
  EXPECT_EQ(s.by_device[1].name, "Seiteneingang");
  EXPECT_EQ(s.by_device[1].admitted, 1);
}

TEST(Stats, StayAfterPersonalDataIsDeleted) {
  seeded f;
  auto before = stats_to_json(compute_stats(f.db, f.e), f.e.timezone);
  transaction tx(f.db);
  for (auto const& r : f.r) anonymise_registration(f.db, f.e.id, r.id, now());
  tx.commit();
  auto after = stats_to_json(compute_stats(f.db, f.e), f.e.timezone);
  EXPECT_EQ(json::serialize(before), json::serialize(after));
}

TEST(Stats, AnEmptyEventHasZerosAndNoArrivals) {
  db_fixture f;
  auto e = f.make_event(event_spec("leer"));
  auto s = compute_stats(f.db, e);
  EXPECT_EQ(s.registered, 0);
  EXPECT_EQ(s.no_show_rate, 0.0);
  EXPECT_TRUE(s.arrivals.empty());
  EXPECT_TRUE(s.by_device.empty());
  EXPECT_TRUE(s.by_organisation_type.empty());
}
