#include "checkin/migrate.hpp"

#include "tests/support/temp_dir.hpp"

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

// A database made by the first release (schema 001 only) gets exact seat counts.
TEST(Migrate, FirstReleaseDatabaseGetsItsCountsBackfilled) {
  test::temp_dir dir;
  auto path = dir.file("v1.db");
  {
    database db(path);
    ASSERT_EQ(migrate(db, schema_migrations().first(1)), 1);
    db.exec(
        "INSERT INTO events (id, slug, title, starts_at, ends_at, sign_public_key, sign_secret_key, created_at) "
        "VALUES (1, 'alt', 'Alt', '2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z', x'00', x'00', "
        "'2025-12-01T00:00:00Z');"
        "INSERT INTO event_sessions (id, event_id, position, title) VALUES (1, 1, 1, 'AG');"
        "INSERT INTO registrations (id, event_id, status, first_name, last_name, email, email_key, consent_at, "
        "  consent_version, ticket_code, created_at) VALUES "
        "  (1, 1, 'confirmed', 'A', 'B', 'a@x.de', 'a@x.de', 'now', 'v', 'C1', 'now'),"
        "  (2, 1, 'confirmed', 'C', 'D', 'c@x.de', 'c@x.de', 'now', 'v', 'C2', 'now'),"
        "  (3, 1, 'waitlisted', 'E', 'F', 'e@x.de', 'e@x.de', 'now', 'v', 'C3', 'now');"
        "INSERT INTO registration_sessions VALUES (1, 1), (3, 1);");
  }
  database db(path);
  migrate(db);
  auto st = db.prepare(
      "SELECT e.confirmed_count, e.waitlisted_count, s.confirmed_count FROM events e JOIN event_sessions s ON "
      "s.event_id = e.id");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.int64(0), 2);
  EXPECT_EQ(st.int64(1), 1);
  EXPECT_EQ(st.int64(2), 1);
}
