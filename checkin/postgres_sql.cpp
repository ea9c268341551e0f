#include "checkin/postgres_sql.hpp"

#include <cctype>

namespace einlass::checkin {

postgres_sql to_postgres(std::string_view sql) {
  postgres_sql out;
  out.text.reserve(sql.size() + 8);
  std::size_t i = 0;
  auto copy_until = [&](char end) {  // through the closing quote; a doubled one stays inside
    out.text += sql[i++];
    while (i < sql.size()) {
      char c = sql[i++];
      out.text += c;
      if (c == end) {
        if (i < sql.size() && sql[i] == end) {
          out.text += sql[i++];
          continue;
        }
        return;
      }
    }
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      copy_until(c);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') out.text += sql[i++];
    } else if (c == '?') {
      ++i;
      std::size_t n = 0;
      bool numbered = false;
      while (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) {
        n = n * 10 + static_cast<std::size_t>(sql[i++] - '0');
        numbered = true;
      }
      if (!numbered) n = out.used.size() + 1;
      if (n > out.used.size()) out.used.resize(n, false);
      out.used[n - 1] = true;
      out.text += '$';
      out.text += std::to_string(n);
    } else {
      out.text += sql[i++];
    }
  }
  return out;
}

}  // namespace einlass::checkin
