#include "server/app/router.hpp"

#include "checkin/db.hpp"
#include "server/pages/html.hpp"

#include "server/app/errors.hpp"
#include "server/http/log.hpp"

namespace einlass::server {

namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return out;
}

}  // namespace

router& router::add(std::string method, std::string pattern, handler h) {
  std::vector<std::string> segs;
  for (auto s : split(pattern)) segs.emplace_back(s);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segs), std::move(h)});
  return *this;
}

std::vector<std::pair<std::string, std::string>> router::list() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto const& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

bool router::match(route const& r, std::vector<std::string_view> const& path, request& req) {
  std::map<std::string, std::string, std::less<>> params;
  std::size_t i = 0;
  for (; i < r.segments.size(); ++i) {
    auto const& seg = r.segments[i];
    if (seg.starts_with("{*")) {
      std::string rest;
      for (std::size_t k = i; k < path.size(); ++k) rest += (k > i ? "/" : "") + std::string(path[k]);
      if (rest.empty()) return false;
      params[seg.substr(2, seg.size() - 3)] = rest;
      req.params = std::move(params);
      return true;
    }
    if (i >= path.size()) return false;
    if (seg.front() == '{') params[seg.substr(1, seg.size() - 2)] = std::string(path[i]);
    else if (seg != path[i]) return false;
  }
  if (i != path.size()) return false;
  req.params = std::move(params);
  return true;
}

namespace {

response storage_unavailable(request const& req) {
  auto lang = pick_language(req);
  response r;
  if (req.path.starts_with("/api/")) {
    r = error_response(lang, http_error::storage_unavailable);
  } else {
    auto const& c = catalog::builtin();
    page p{lang,
           std::string(c.text(lang, "page.unavailable_title")),
           "<h1>" + esc(c.text(lang, "page.unavailable_title")) + "</h1><p>" +
               esc(c.text(lang, "error.storage_unavailable")) + "</p>",
           {},
           {},
           {},
           {},
           {},
           {},
           {}};
    r = page_response(req, 503, p);
  }
  r.set("Retry-After", "10");
  return r;
}

}  // namespace

awaitable<response> router::dispatch(request& req, app& a) const {
  auto path = split(req.path);
  bool path_known = false;
  for (auto const& r : routes_) {
    if (!match(r, path, req)) continue;
    path_known = true;
    if (r.method != req.method && !(r.method == "GET" && req.method == "HEAD")) continue;
    bool storage = false;
    try {
      co_return co_await r.h(req, a);
    } catch (checkin::db_error const& e) {
      storage = e.storage_failure();
      log_error("handler " + req.method + " " + req.path + ": " + e.what());
    } catch (std::exception const& e) {
      log_error("handler " + req.method + " " + req.path + ": " + e.what());
    }
    // The disk is full, read-only or failing: nothing was stored (the transaction rolled
    // back), and it may well work again soon.
    if (storage) co_return storage_unavailable(req);
    co_return error_response(pick_language(req), http_error::internal);
  }
  if (path_known) co_return error_response(pick_language(req), http_error::method_not_allowed);
  co_return error_response(pick_language(req), http_error::not_found);
}

}  // namespace einlass::server
