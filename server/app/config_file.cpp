#include "server/app/config_file.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>

namespace einlass::server {

namespace {

std::string trim(std::string s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.back())) s.pop_back();
  auto first = std::find_if_not(s.begin(), s.end(), blank);
  return {first, s.end()};
}

bool plausible_name(std::string const& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::vector<config_entry> read_config_file(std::string const& path) {
  std::ifstream in(path);
  if (!in) throw config_file_error(path + ": cannot read the configuration file");
  std::vector<config_entry> entries;
  std::map<std::string, int> first_line;
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    auto where = path + ":" + std::to_string(number);
    auto text = trim(raw);
    if (text.empty() || text.front() == '#' || text.front() == ';') continue;
    auto eq = text.find('=');
    if (eq == std::string::npos) throw config_file_error(where + ": expected 'name = value', found '" + text + "'");
    auto name = trim(text.substr(0, eq));
    auto value = trim(text.substr(eq + 1));
    if (name.starts_with("--")) name = name.substr(2);  // forgiven: written as on the command line
    if (!plausible_name(name)) throw config_file_error(where + ": '" + name + "' is not an option name");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (auto [it, fresh] = first_line.emplace(name, number); !fresh)
      throw config_file_error(where + ": " + name + " is given twice (first on line " + std::to_string(it->second) +
                              ")");
    entries.push_back({name, value, where});
  }
  return entries;
}

std::optional<bool> parse_flag_value(std::string const& value) {
  std::string v;
  for (char c : value) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (v == "yes" || v == "true" || v == "on" || v == "1") return true;
  if (v == "no" || v == "false" || v == "off" || v == "0") return false;
  return std::nullopt;
}

}  // namespace einlass::server
