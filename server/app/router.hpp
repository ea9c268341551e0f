#pragma once
// Method + path pattern -> handler. Patterns are literal segments and {name} captures
// of one segment; a last segment {*name} captures the rest of the path.
#include "server/app/app.hpp"

#include <functional>
#include <string>
#include <vector>

namespace einlass::server {

using handler = std::function<awaitable<response>(request&, app&)>;

class router {
 public:
  router& add(std::string method, std::string pattern, handler h);

  // 404 and 405 when nothing matches; a handler's exception becomes a 500 that tells nothing
  // of internals (the exception is logged once).
  [[nodiscard]] awaitable<response> dispatch(request& req, app& a) const;

  // Every route as method and pattern, in the order added (for the authorisation test).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> list() const;

 private:
  struct route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    handler h;
  };
  [[nodiscard]] static bool match(route const& r, std::vector<std::string_view> const& path, request& req);
  std::vector<route> routes_;
};

// Every route of the product.
[[nodiscard]] router make_router();

}  // namespace einlass::server
