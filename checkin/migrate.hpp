#pragma once
#include "checkin/db.hpp"
#include "checkin/embedded.hpp"

#include <span>

namespace einlass::checkin {

// The migrations in schema/, compiled in, in the order checkin/CMakeLists.txt lists them
// (NNN_name.sql; a test checks the numbering).
[[nodiscard]] std::span<const embedded_file> schema_migrations();

// Applies, in order and each in its own transaction, every migration past the
// database's PRAGMA user_version. Returns the resulting version. Throws db_error when
// the database is newer than this binary knows.
int migrate(database& db, std::span<const embedded_file> migrations = schema_migrations());

}  // namespace einlass::checkin
