#pragma once
// The database a test runs on: a SQLite file in the test's temporary folder, or, when the
// suite runs against PostgreSQL (EINLASS_TEST_POSTGRES names the folder of the cluster that
// tests/support/postgres started), a fresh database in that cluster, dropped at the end.
// The same tests run on both engines: this is the test parameter.
#include "tests/support/temp_dir.hpp"

#include "checkin/db.hpp"

#include <string>

namespace einlass::test {

// Whether this run is the PostgreSQL one.
[[nodiscard]] bool on_postgresql();

class test_database {
 public:
  explicit test_database(temp_dir const& dir, std::string const& name = "einlass.db");
  test_database(test_database const&) = delete;
  test_database& operator=(test_database const&) = delete;
  ~test_database();
  // What --db takes: the file's path or the database's postgresql:// URL.
  [[nodiscard]] std::string const& target() const { return target_; }

 private:
  std::string target_;
  std::string pg_name_;  // empty for SQLite
};

// The cluster's postgresql:// URL for database `name` (the cluster's own "postgres" by default).
[[nodiscard]] std::string postgres_url(std::string const& name = "postgres");

// Adds event 1 ("alt", an hour on 2026-01-01, keys of one zero byte) with plain SQL, as a
// migration test needs it in a database of an older schema.
void insert_old_event(checkin::database& db);

}  // namespace einlass::test
