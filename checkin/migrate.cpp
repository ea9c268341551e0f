#include "checkin/migrate.hpp"

#include <string>

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

int migrate(database& db) { return migrate(db, schema_migrations(db.engine())); }

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
