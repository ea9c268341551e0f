#pragma once
// A file compiled into the binary (schema migrations, web assets, message catalogues).
#include <optional>
#include <span>
#include <string_view>

namespace einlass {

struct embedded_file {
  std::string_view name;  // path relative to its folder, e.g. "001_init.sql"
  std::string_view data;
};

// Finds a file by name in a table.
[[nodiscard]] inline std::optional<std::string_view> find_embedded(std::span<const embedded_file> files,
                                                                   std::string_view name) {
  for (auto const& f : files)
    if (f.name == name) return f.data;
  return std::nullopt;
}

}  // namespace einlass
