#pragma once
// The configuration file (../shared/contract.md, "Operations"): the options of `einlass serve`,
// one a line as `name = value`, names without the dashes; `#` starts a comment line. Flags
// take yes/no (true/false, on/off, 1/0). A value may be put in double quotes.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace einlass::server {

struct config_entry {
  std::string name;   // as written, without dashes: "listen"
  std::string value;  // trimmed, quotes removed
  std::string where;  // "FILE:LINE", for messages
};

// A file that cannot be read or a line that is not `name = value`: the message starts with
// "FILE:LINE: ".
struct config_file_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Every entry of the file, in order; a name given twice is an error.
[[nodiscard]] std::vector<config_entry> read_config_file(std::string const& path);

// yes/true/on/1 or no/false/off/0 (any case); nothing else.
[[nodiscard]] std::optional<bool> parse_flag_value(std::string const& value);

}  // namespace einlass::server
