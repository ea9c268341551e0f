#include "checkin/migrate.hpp"

namespace einlass::checkin {
namespace detail::schema {
std::span<const embedded_file> files();
}

std::span<const embedded_file> schema_migrations() { return detail::schema::files(); }

}  // namespace einlass::checkin
