#pragma once
// What each command of `einlass` does, once its options are read (server/app/cli.cpp reads
// them from the command line and the configuration file).
#include "checkin/db.hpp"

#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace einlass::server {

// A mistake in how the program was called: exit status 2. `option` names the option at
// fault ("--threads"), so a value from the configuration file can be traced to its line.
struct usage_error : std::runtime_error {
  explicit usage_error(std::string const& message, std::string at = {})
      : std::runtime_error(message), option(std::move(at)) {}
  std::string option;
};

// The options given to one command: "--name" -> value, and the flags given.
struct options {
  std::map<std::string, std::string> values;
  std::set<std::string> flags;

  [[nodiscard]] std::string get(std::string const& name, std::string fallback = {}) const;
  [[nodiscard]] std::string need(std::string const& name) const;  // usage_error when missing
};

// A whole number from min to max, or a usage_error naming the option.
int to_int(std::string const& s, std::string const& name, int min, int max);

// Opens and migrates the database; run as root on a SQLite file, first becomes the file's owner.
checkin::database open_database(std::string const& path);

int serve(options const& o);
int user_add(options const& o);
int token_create(options const& o);
int event_create(options const& o);
int device_add(options const& o);
int device_list(options const& o);
int device_revoke(options const& o);
int backup(options const& o);

// "einlass 0.1.0 (database schema 8)".
[[nodiscard]] std::string version_text();

}  // namespace einlass::server
