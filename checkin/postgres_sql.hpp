#pragma once
// SQL as Einlass writes it (SQLite's ?1, ?2 and ? placeholders) in the form PostgreSQL
// takes ($1, $2): string literals, quoted names and comments are left as they are.
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

struct postgres_sql {
  std::string text;
  std::vector<bool> used;  // per parameter, 1 to the highest number: whether the text names it
};

// A bare ? is one past the highest number so far, as in SQLite.
[[nodiscard]] postgres_sql to_postgres(std::string_view sql);

}  // namespace einlass::checkin
