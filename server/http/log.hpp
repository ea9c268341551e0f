#pragma once
// One line per event on stderr, whole lines only (threads share the stream). Under systemd
// stderr is the journal, which adds the time. --log-format json writes one JSON object a line
// (time, level, message; a request's fields by name) for log shippers.
#include <cstddef>
#include <string_view>

namespace einlass::server {

enum class log_format { text, json };
void set_log_format(log_format f);

void log_line(std::string_view line);
void log_error(std::string_view line);

// The access log's line for one answered request. `target` is already redacted.
struct request_record {
  std::string_view remote, method, target;
  int status = 0;
  std::size_t bytes = 0;
  double milliseconds = 0;
};
void log_request(request_record const& r);

}  // namespace einlass::server
