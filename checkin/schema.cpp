#include "checkin/migrate.hpp"

namespace einlass::checkin {
namespace detail::schema {
std::span<const embedded_file> files();
}
namespace detail::postgres_schema {
std::span<const embedded_file> files();
}

std::span<const embedded_file> schema_migrations(engine e) {
  return e == engine::postgresql ? detail::postgres_schema::files() : detail::schema::files();
}

}  // namespace einlass::checkin
