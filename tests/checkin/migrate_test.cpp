#include "checkin/migrate.hpp"
#include "checkin/store.hpp"

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using namespace einlass;
using namespace einlass::checkin;

namespace {
int user_version(database& db) { return schema_version(db); }

bool has_table(database& db, std::string const& name) {
  return db.engine() == engine::postgresql
             ? db.exists("SELECT 1 WHERE to_regclass(?1) IS NOT NULL", name)
             : db.exists("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", name);
}
}  // namespace

TEST(Migrate, FreshDatabaseGetsTheWholeSchema) {
  test::temp_dir dir;
  test::test_database target(dir, "a.db");
  database db(target.target());
  EXPECT_EQ(migrate(db), static_cast<int>(schema_migrations().size()));
  EXPECT_EQ(user_version(db), static_cast<int>(schema_migrations().size()));
  EXPECT_TRUE(has_table(db, "registrations"));
  EXPECT_EQ(migrate(db), static_cast<int>(schema_migrations().size()));  // idempotent
}

TEST(Migrate, MigrationsAreNumberedInOrderAndAlikeForBothEngines) {
  int n = 0;
  for (auto const& m : schema_migrations()) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%03d_", ++n);
    EXPECT_TRUE(m.name.starts_with(prefix)) << m.name;
  }
  auto sqlite = schema_migrations(engine::sqlite);
  auto postgres = schema_migrations(engine::postgresql);
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) EXPECT_EQ(sqlite[i].name, postgres[i].name);
}

// Servers started together on one new database: each migration is applied once, and every
// server starts on the whole schema.
TEST(Migrate, ServersStartingTogetherMigrateOnce) {
  test::temp_dir dir;
  test::test_database target(dir, "together.db");
  std::vector<std::thread> servers;
  std::vector<int> versions(4, -1);
  std::vector<std::string> errors(4);
  for (std::size_t i = 0; i < versions.size(); ++i)
    servers.emplace_back([&, i] {
      try {
        database db(target.target());
        versions[i] = migrate(db);
      } catch (std::exception const& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : servers) t.join();
  for (std::size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(errors[i], "");
    EXPECT_EQ(versions[i], static_cast<int>(schema_migrations().size()));
  }
  database db(target.target());
  EXPECT_EQ(user_version(db), static_cast<int>(schema_migrations().size()));
  EXPECT_EQ(db.query_one<std::int64_t>("SELECT count(*) FROM settings WHERE key = 'link_key'"), 1);
}

// An older database upgrades in place and keeps its rows.
TEST(Migrate, OlderDatabaseUpgradesInPlace) {
  embedded_file const v1[] = {{"001_a.sql", "CREATE TABLE people (name TEXT);"}};
  embedded_file const v2[] = {{"001_a.sql", "CREATE TABLE people (name TEXT);"},
                              {"002_b.sql", "ALTER TABLE people ADD COLUMN city TEXT NOT NULL DEFAULT 'Leipzig';"}};
  test::temp_dir dir;
  test::test_database target(dir, "old.db");
  {
    database db(target.target());
    EXPECT_EQ(migrate(db, v1), 1);
    db.exec("INSERT INTO people (name) VALUES ('Amina')");
  }
  database db(target.target());
  EXPECT_EQ(migrate(db, v2), 2);
  auto st = db.prepare("SELECT name, city FROM people");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "Amina");
  EXPECT_EQ(st.text(1), "Leipzig");
}

TEST(Migrate, AFailedMigrationLeavesTheDatabaseAsItWas) {
  embedded_file const bad[] = {{"001_a.sql", "CREATE TABLE t (x TEXT); CREATE TABLE t (y TEXT);"}};
  test::temp_dir dir;
  test::test_database target(dir, "bad.db");
  database db(target.target());
  EXPECT_THROW(migrate(db, bad), db_error);
  EXPECT_EQ(user_version(db), 0);
  EXPECT_FALSE(has_table(db, "t"));
}

TEST(Migrate, NewerDatabaseIsRefused) {
  test::temp_dir dir;
  test::test_database target(dir, "new.db");
  database db(target.target());
  if (db.engine() == engine::postgresql)
    db.exec("CREATE TABLE einlass_schema (version integer NOT NULL); INSERT INTO einlass_schema VALUES (999)");
  else db.exec("PRAGMA user_version = 999");
  EXPECT_THROW(migrate(db), db_error);
  EXPECT_EQ(user_version(db), 999);  // untouched
}

// A database made by the first release (schema 001 only) gets exact seat counts.
TEST(Migrate, FirstReleaseDatabaseGetsItsCountsBackfilled) {
  test::temp_dir dir;
  test::test_database target(dir, "v1.db");
  auto const& path = target.target();
  {
    database db(path);
    ASSERT_EQ(migrate(db, schema_migrations(db.engine()).first(1)), 1);
    einlass::test::insert_old_event(db);
    db.exec(
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

// Issue 14: texts written before there were languages become the event's German, unchanged.
TEST(Migrate, TextsWrittenBeforeLanguagesBecomeTheEventsGerman) {
  test::temp_dir dir;
  test::test_database target(dir, "v12.db");
  auto const& path = target.target();
  {
    database db(path);
    ASSERT_EQ(migrate(db, schema_migrations(db.engine()).first(12)), 12);
    einlass::test::insert_old_event(db);
    db.exec(
        "UPDATE events SET description = 'Drei AGs.', venue = 'IHK', address = 'Markt 1' WHERE id = 1;"
        "INSERT INTO event_sessions (id, event_id, position, title) VALUES (1, 1, 1, 'AG Anerkennung');"
        "INSERT INTO questions (event_id, position, key, kind, label, options) "
        "  VALUES (1, 1, 'q1', 'single', 'Essen', '[\"vegan\",\"mit Fleisch\"]');");
  }
  database db(path);
  migrate(db);
  auto e = find_event(db, "alt");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->language, "de");
  EXPECT_TRUE(e->texts.empty());
  for (auto reader : {"de", "en", "ar"}) {
    EXPECT_EQ(e->text(text_field::title, reader).text, "Alt");
    EXPECT_EQ(e->text(text_field::title, reader).lang, "de");
    EXPECT_EQ(e->text(text_field::description, reader).text, "Drei AGs.");
    EXPECT_EQ(e->text(text_field::address, reader).text, "Markt 1");
    EXPECT_EQ(e->text(e->sessions.at(0), text_field::title, reader).text, "AG Anerkennung");
    EXPECT_EQ(e->label(e->questions.at(0), reader).text, "Essen");
    EXPECT_EQ(e->options(e->questions.at(0), reader).options, (std::vector<std::string>{"vegan", "mit Fleisch"}));
  }
}

// Migration 15 makes the webhook tables anew on SQLite: what was there stays, deliveries too.
TEST(Migrate, WebhooksAndTheirDeliveriesSurviveTheirTablesBeingMadeAnew) {
  test::temp_dir dir;
  test::test_database target(dir, "v14.db");
  auto const& path = target.target();
  {
    database db(path);
    ASSERT_EQ(migrate(db, schema_migrations(db.engine()).first(14)), 14);
    einlass::test::insert_old_event(db);
    db.exec(
        "INSERT INTO webhooks (id, event_id, url, secret, kinds, created_at) "
        "  VALUES (7, 1, 'https://crm.example.org/x', 'whsec_a', '[\"registration.created\"]', 'now');"
        "INSERT INTO webhook_deliveries (webhook_id, kind, payload, next_attempt_at, created_at, answer_status) "
        "  VALUES (7, 'ping', '{}', 'now', 'now', 500);");
  }
  database db(path);
  migrate(db);
  EXPECT_EQ(db.query_one<std::string>("SELECT url FROM webhooks WHERE id = 7 AND event_id = 1"),
            "https://crm.example.org/x");
  EXPECT_EQ(db.query_one<std::int64_t>("SELECT answer_status FROM webhook_deliveries WHERE webhook_id = 7"), 500);
  db.exec("DELETE FROM events WHERE id = 1");  // the cascade still reaches both tables
  EXPECT_FALSE(db.exists("SELECT 1 FROM webhook_deliveries"));
}
