#include "checkin/stats.hpp"

#include "checkin/attendees.hpp"
#include "checkin/checkins.hpp"
#include "checkin/devices.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <map>

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
      r.push_back(
          *register_json(*find_event(db, e.id), person(email, {{"organisation_type", type}, {"sessions", ss}})));
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
    scan_request s{d,    r[who].ticket_code, std::nullopt, list, "entry", random_nonce(), std::nullopt, std::nullopt,
                   false};
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

namespace {

// Rows of a query as "col|col|..." -> last column, leaving out zeros (a counter may stay at 0).
std::map<std::string, std::int64_t> table(database& db, std::string const& sql) {
  std::map<std::string, std::int64_t> out;
  auto st = db.prepare(sql);
  while (st.step()) {
    std::string key;
    int cols = st.columns();
    for (int c = 0; c + 1 < cols; ++c) key += (st.is_null(c) ? std::string("NULL") : st.text(c)) + "|";
    auto v = st.int64(cols - 1);
    if (v != 0) out[key] = v;
  }
  return out;
}

void expect_counters_exact(database& db) {
  EXPECT_EQ(table(db, "SELECT event_id, organisation_type, status, came, n FROM stat_types"),
            table(db,
                  "SELECT event_id, organisation_type, status, "
                  "CASE WHEN (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id) > 0 THEN 1 ELSE 0 "
                  "END, count(*) FROM registrations r GROUP BY 1, 2, 3, 4"));
  EXPECT_EQ(table(db, "SELECT session_id, status, came, n FROM stat_sessions"),
            table(db,
                  "SELECT rs.session_id, r.status, "
                  "CASE WHEN (SELECT count(*) FROM attendance a WHERE a.registration_id = r.id) > 0 THEN 1 ELSE 0 "
                  "END, count(*) "
                  "FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id GROUP BY 1, 2, 3"));
  EXPECT_EQ(table(db, "SELECT event_id, list_id, checked_in FROM stat_lists"),
            table(db, "SELECT event_id, list_id, count(*) FROM attendance GROUP BY 1, 2"));
  EXPECT_EQ(table(db, "SELECT event_id, list_id, inside FROM stat_lists"),
            table(db, "SELECT event_id, list_id, sum(inside) FROM attendance GROUP BY 1, 2"));
  EXPECT_EQ(table(db, "SELECT event_id, minute, device_id, n FROM stat_arrivals"),
            table(db,
                  "SELECT event_id, substr(first_at, 1, 16), coalesce(first_device_id, 0), count(*) "
                  "FROM attendance WHERE list_id = 0 GROUP BY 1, 2, 3"));
  EXPECT_EQ(table(db, "SELECT id, lists_attended FROM registrations"),
            table(db, "SELECT registration_id, count(*) FROM attendance GROUP BY 1"));
}

}  // namespace

TEST(Stats, CountersMatchARecountAfterEveryKindOfChange) {
  seeded f;
  expect_counters_exact(f.db);
  auto s2 = f.e.sessions[1].id;
  transaction tx(f.db);
  // A person changes type and sessions; another is cancelled after arriving and restored.
  registration_input in;
  in.first_name = "R";
  in.last_name = "Eins";
  in.email = "r1@example.org";
  in.organisation = "Kammer";
  in.organisation_type = "chamber";
  in.sessions = {s2};
  ASSERT_TRUE(update_registration(f.db, f.e, f.r[0].id, in, now()));
  f.e = *find_event(f.db, f.e.id);
  ASSERT_TRUE(cancel_registration(f.db, f.e, f.r[1].id, now()));
  f.e = *find_event(f.db, f.e.id);
  ASSERT_TRUE(restore_registration(f.db, f.e, f.r[1].id, now()));
  // Somebody leaves, one admission is undone, one person's data is deleted, one row goes.
  f.scan(f.foyer, 2, 0, now());  // a re-entry scan of someone inside: already checked in
  scan_request exit{f.foyer, f.r[3].ticket_code, std::nullopt, 0, "exit", "x1", std::nullopt, std::nullopt, false};
  prepare_scan(f.db, exit);
  EXPECT_EQ(record_scan(f.db, exit, now()).result, scan_result::checked_out);
  auto admitted = f.db.prepare("SELECT first_checkin_id FROM attendance WHERE registration_id = ?1 AND list_id = 0");
  admitted.bind(1, f.r[2].id);
  ASSERT_TRUE(admitted.step());
  EXPECT_TRUE(undo_scan(f.db, f.foyer, admitted.int64(0), now()));
  anonymise_registration(f.db, f.e.id, f.r[4].id, now());
  f.db.cached("DELETE FROM registrations WHERE id = ?1").bind(1, f.r[5].id).run();
  tx.commit();
  expect_counters_exact(f.db);

  auto s = compute_stats(f.db, *find_event(f.db, f.e.id));
  EXPECT_EQ(s.checked_in, 3);  // r1, r2 (cancelled and back), r4 (left again); r3's admission undone
  EXPECT_EQ(s.inside, 2);
}
