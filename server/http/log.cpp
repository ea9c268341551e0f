#include "server/http/log.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

namespace einlass::server {

namespace {

std::mutex log_mutex;
std::atomic<log_format> format{log_format::text};

void write(std::string s) {
  s += '\n';
  std::lock_guard lock(log_mutex);
  std::fwrite(s.data(), 1, s.size(), stderr);
}

// 2026-12-02T21:40:03.123Z
std::string now_utc() {
  auto now = std::chrono::system_clock::now();
  auto t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  auto n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms));
  return text;
}

void write_json(std::string_view level, boost::json::object fields) {
  boost::json::object line{{"time", now_utc()}, {"level", level}};
  for (auto& f : fields) line.emplace(f.key(), std::move(f.value()));
  write(boost::json::serialize(line));
}

}  // namespace

void set_log_format(log_format f) { format = f; }

void log_line(std::string_view line) {
  if (format == log_format::json) write_json("info", {{"message", line}});
  else write(std::string(line));
}

void log_error(std::string_view line) {
  if (format == log_format::json) write_json("error", {{"message", line}});
  else write("error: " + std::string(line));
}

void log_request(request_record const& r) {
  auto ms = std::to_string(r.milliseconds).substr(0, 6);
  if (format == log_format::json) {
    write_json("info", {{"message", "request"},
                        {"remote", r.remote},
                        {"method", r.method},
                        {"target", r.target},
                        {"status", r.status},
                        {"bytes", r.bytes},
                        {"ms", std::stod(ms)}});
    return;
  }
  write(std::string(r.remote) + " \"" + std::string(r.method) + ' ' + std::string(r.target) + "\" " +
        std::to_string(r.status) + ' ' + std::to_string(r.bytes) + ' ' + ms + "ms");
}

}  // namespace einlass::server
