#pragma once
#include "checkin/db.hpp"
#include "checkin/embedded.hpp"

#include <span>

namespace einlass::checkin {

// The migrations in schema/ (SQLite) or schema/postgresql/, compiled in, in the order
// checkin/CMakeLists.txt lists them (NNN_name.sql, the same numbers and names for both
// engines; a test checks the numbering).
[[nodiscard]] std::span<const embedded_file> schema_migrations(engine e = engine::sqlite);

// Applies, in order and each in its own transaction, every migration past the database's
// version (SQLite: PRAGMA user_version; PostgreSQL: the table einlass_schema). On
// PostgreSQL the whole run holds an advisory lock, so servers starting together apply each
// migration once, one after the other. Returns the resulting version. Throws db_error when
// the database is newer than this binary knows.
int migrate(database& db);
int migrate(database& db, std::span<const embedded_file> migrations);

// The version the database is at (0: empty).
[[nodiscard]] int schema_version(database& db);

}  // namespace einlass::checkin
