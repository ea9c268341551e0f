#include "checkin/migrate.hpp"

#include "checkin/fold.hpp"

#include <string>
#include <utility>
#include <vector>

namespace einlass::checkin {

namespace {

// Held for the whole run on PostgreSQL (a session lock, apart from the write lock).
constexpr std::string_view migration_lock = "7306916945126241652";

class migration_guard {
 public:
  explicit migration_guard(database& db) : db_(db) {
    if (db_.engine() != engine::postgresql) return;
    db_.exec("SELECT pg_advisory_lock(" + std::string(migration_lock) + ")");
    db_.exec("CREATE TABLE IF NOT EXISTS einlass_schema (version integer NOT NULL)");
  }
  migration_guard(migration_guard const&) = delete;
  migration_guard& operator=(migration_guard const&) = delete;
  ~migration_guard() {
    if (db_.engine() != engine::postgresql) return;
    try {
      db_.exec("SELECT pg_advisory_unlock(" + std::string(migration_lock) + ")");
    } catch (...) {
      // The connection is gone, and the lock with it.
    }
  }

 private:
  database& db_;
};

void set_version(database& db, int v) {
  if (db.engine() == engine::postgresql) {
    db.exec("DELETE FROM einlass_schema");
    db.run("INSERT INTO einlass_schema (version) VALUES (?1)", v);
  } else {
    db.exec("PRAGMA user_version = " + std::to_string(v));
  }
}

}  // namespace

int schema_version(database& db) {
  if (db.engine() == engine::postgresql) {
    if (!db.exists("SELECT 1 WHERE to_regclass('einlass_schema') IS NOT NULL")) return 0;
    return db.query_one<int>("SELECT max(version) FROM einlass_schema").value_or(0);
  }
  return db.query_one<int>("PRAGMA user_version").value_or(0);
}

namespace {

// What a migration's SQL cannot compute, filled in after it: the search keys of registrations
// stored before there were any (schema 009), folded with ICU. Idempotent; a second server
// starting at once finds nothing left, or writes the same keys.
void fill_search_keys(database& db) {
  for (;;) {
    transaction tx(db);
    auto st = db.cached(
        "SELECT id, first_name, last_name, organisation FROM registrations WHERE search_key IS NULL ORDER BY id "
        "LIMIT 500");
    std::vector<std::pair<std::int64_t, std::string>> keys;
    while (st.step()) keys.emplace_back(st.int64(0), search_key(st.text(1), st.text(2), st.text(3)));
    if (keys.empty()) return;
    for (auto const& [id, key] : keys) db.run("UPDATE registrations SET search_key = ?2 WHERE id = ?1", id, key);
    tx.commit();
  }
}

}  // namespace

int migrate(database& db) {
  int version = migrate(db, schema_migrations(db.engine()));
  fill_search_keys(db);
  return version;
}

int migrate(database& db, std::span<const embedded_file> migrations) {
  migration_guard guard(db);
  int const latest = static_cast<int>(migrations.size());
  for (;;) {
    // The version is read under the write lock: a second process starting at the same time
    // (SQLite) finds the migration its twin just applied.
    transaction tx(db);
    int current = schema_version(db);
    if (current > latest)
      throw db_error(generic_db_error(), "database schema version " + std::to_string(current) +
                                             " is newer than this program (" + std::to_string(latest) + ")");
    if (current == latest) return latest;
    db.exec(migrations[static_cast<std::size_t>(current)].data);
    set_version(db, current + 1);
    tx.commit();
  }
}

}  // namespace einlass::checkin
