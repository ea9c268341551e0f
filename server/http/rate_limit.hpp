#pragma once
// A fixed one-minute window per client address for anonymous writes.
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace einlass::server {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  explicit rate_limiter(int per_minute) : per_minute_(per_minute) {}

  // Counts one hit; when over the limit, the seconds until the window ends (for Retry-After).
  [[nodiscard]] std::optional<int> hit(std::string const& key, clock::time_point at = clock::now());

 private:
  struct window {
    clock::time_point start;
    int count = 0;
  };
  int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, window> windows_;
};

}  // namespace einlass::server
