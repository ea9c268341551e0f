#include "checkin/limits.hpp"

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;

// The budget is counted in the database: two connections (two servers) share it.
TEST(RateWindows, ConnectionsShareOneBudgetPerMinute) {
  db_fixture f;
  database other(f.path);
  auto at = *parse_utc_text("2026-12-02T10:15:40Z");
  EXPECT_FALSE(count_hit(f.db, "r 192.0.2.7", at, 3));
  EXPECT_FALSE(count_hit(other, "r 192.0.2.7", at, 3));
  EXPECT_FALSE(count_hit(f.db, "r 192.0.2.7", at, 3));
  EXPECT_EQ(count_hit(other, "r 192.0.2.7", at, 3), 20);                           // seconds until 10:16
  EXPECT_FALSE(count_hit(f.db, "r 192.0.2.8", at, 3));                             // another address
  EXPECT_FALSE(count_hit(f.db, "r 192.0.2.7", at + std::chrono::seconds(20), 3));  // the next minute
  // Past windows go, with the addresses in them.
  forget_rate_windows(f.db, at + std::chrono::seconds(20));
  EXPECT_EQ(f.db.query_one<std::int64_t>("SELECT count(*) FROM rate_windows"), 1);
}
