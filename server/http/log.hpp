#pragma once
// One line per event on stderr, whole lines only (threads share the stream).
#include <string_view>

namespace einlass::server {

void log_line(std::string_view line);
void log_error(std::string_view line);

}  // namespace einlass::server
