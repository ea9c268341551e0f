#include "server/http/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace einlass::server {

namespace {
std::mutex log_mutex;
}

void log_line(std::string_view line) {
  std::string s(line);
  s += '\n';
  std::lock_guard lock(log_mutex);
  std::fwrite(s.data(), 1, s.size(), stderr);
}

void log_error(std::string_view line) { log_line("error: " + std::string(line)); }

}  // namespace einlass::server
