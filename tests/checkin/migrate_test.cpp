#include "checkin/migrate.hpp"

#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>

using namespace einlass;
using namespace einlass::checkin;

namespace {
int user_version(database& db) {
  auto st = db.prepare("PRAGMA user_version");
  return st.step() ? static_cast<int>(st.int64(0)) : -1;
}
}  // namespace

TEST(Migrate, FreshDatabaseGetsTheWholeSchema) {
  test::temp_dir dir;
  database db(dir.file("a.db"));
  EXPECT_EQ(migrate(db), static_cast<int>(schema_migrations().size()));
  EXPECT_EQ(user_version(db), static_cast<int>(schema_migrations().size()));
  auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'registrations'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 1);
  EXPECT_EQ(migrate(db), static_cast<int>(schema_migrations().size()));  // idempotent
}

TEST(Migrate, MigrationsAreNumberedInOrder) {
  int n = 0;
  for (auto const& m : schema_migrations()) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%03d_", ++n);
    EXPECT_TRUE(m.name.starts_with(prefix)) << m.name;
  }
}

// An older database upgrades in place and keeps its rows.
TEST(Migrate, OlderDatabaseUpgradesInPlace) {
  embedded_file const v1[] = {{"001_a.sql", "CREATE TABLE people (name TEXT);"}};
  embedded_file const v2[] = {{"001_a.sql", "CREATE TABLE people (name TEXT);"},
                              {"002_b.sql", "ALTER TABLE people ADD COLUMN city TEXT NOT NULL DEFAULT 'Leipzig';"}};
  test::temp_dir dir;
  {
    database db(dir.file("old.db"));
    EXPECT_EQ(migrate(db, v1), 1);
    db.exec("INSERT INTO people (name) VALUES ('Amina')");
  }
  database db(dir.file("old.db"));
  EXPECT_EQ(migrate(db, v2), 2);
  auto st = db.prepare("SELECT name, city FROM people");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "Amina");
  EXPECT_EQ(st.text(1), "Leipzig");
}

TEST(Migrate, AFailedMigrationLeavesTheDatabaseAsItWas) {
  embedded_file const bad[] = {{"001_a.sql", "CREATE TABLE t (x); CREATE TABLE t (y);"}};
  test::temp_dir dir;
  database db(dir.file("bad.db"));
  EXPECT_THROW(migrate(db, bad), db_error);
  EXPECT_EQ(user_version(db), 0);
  auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't'");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 0);
}

TEST(Migrate, NewerDatabaseIsRefused) {
  test::temp_dir dir;
  database db(dir.file("new.db"));
  db.exec("PRAGMA user_version = 999");
  EXPECT_THROW(migrate(db), db_error);
}
