#include "server/http/rate_limit.hpp"

namespace einlass::server {

std::optional<int> rate_limiter::hit(std::string const& key, clock::time_point at) {
  if (per_minute_ <= 0) return std::nullopt;
  constexpr auto length = std::chrono::minutes(1);
  std::lock_guard lock(mutex_);
  if (windows_.size() > 100000)  // forget finished windows before the map grows without bound
    std::erase_if(windows_, [&](auto const& kv) { return at - kv.second.start >= length; });
  auto& w = windows_[key];
  if (w.count == 0 || at - w.start >= length) w = {at, 0};
  if (++w.count <= per_minute_) return std::nullopt;
  auto left = std::chrono::ceil<std::chrono::seconds>(w.start + length - at).count();
  return static_cast<int>(std::max<long>(1, left));
}

}  // namespace einlass::server
