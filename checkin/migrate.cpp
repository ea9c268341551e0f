#include "checkin/migrate.hpp"

#include <string>

namespace einlass::checkin {

int migrate(database& db, std::span<const embedded_file> migrations) {
  int current = 0;
  {
    auto st = db.prepare("PRAGMA user_version");
    if (st.step()) current = static_cast<int>(st.int64(0));
  }
  int const latest = static_cast<int>(migrations.size());
  if (current > latest)
    throw db_error(generic_db_error(), "database schema version " + std::to_string(current) +
                                           " is newer than this program (" + std::to_string(latest) + ")");
  for (int v = current; v < latest; ++v) {
    transaction tx(db);
    db.exec(migrations[static_cast<std::size_t>(v)].data);
    db.exec("PRAGMA user_version = " + std::to_string(v + 1));
    tx.commit();
  }
  return latest;
}

}  // namespace einlass::checkin
