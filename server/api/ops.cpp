// Health, metrics and the embedded static assets.
#include "checkin/db.hpp"
#include "checkin/embedded.hpp"
#include "checkin/store.hpp"
#include "server/api/api.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/i18n.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <fstream>
#include <iterator>
#include <utility>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define EINLASS_SANITIZER_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define EINLASS_SANITIZER_HEAP 1
#endif
#endif
#ifdef EINLASS_SANITIZER_HEAP
// From the sanitizer runtime (sanitizer/allocator_interface.h, which Debian's g++ does not ship).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
extern "C" std::size_t __sanitizer_get_free_bytes();
#else
#include <malloc.h>
#endif
#include <sodium.h>

namespace einlass::server {

namespace json = boost::json;

namespace detail::web {
std::span<const embedded_file> files();
}

namespace {

std::string_view content_type(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.ends_with(ext); };
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".json")) return "application/json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".wasm")) return "application/wasm";
  if (ends(".mp3")) return "audio/mpeg";
  return "application/octet-stream";
}

std::string etag_of(std::string_view data) {
  unsigned char h[16];
  crypto_generichash(h, sizeof h, reinterpret_cast<unsigned char const*>(data.data()), data.size(), nullptr, 0);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (auto b : h) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out + "\"";
}

// The heap: bytes handed out, and bytes the allocator holds free. A sanitizer build has its
// own allocator, which malloc's statistics do not see.
std::pair<std::uint64_t, std::uint64_t> heap_now() {
#ifdef EINLASS_SANITIZER_HEAP
  return {__sanitizer_get_current_allocated_bytes(), __sanitizer_get_free_bytes()};
#else
  auto m = mallinfo2();
  return {m.uordblks + m.hblkhd, m.fordblks};
#endif
}

// True when the database file can be read: a row of a real table, not just "SELECT 1".
bool database_answers(app& a) {
  try {
    app::reader db(a);
    return checkin::storage_answers(*db);
  } catch (std::exception const&) {
    return false;
  }
}

}  // namespace

awaitable<response> ca_certificate(request& req, app& a) {
  std::string pem;
  if (a.cfg().tls_self_signed) {
    std::ifstream in(a.cfg().files_base() + ".ca.pem", std::ios::binary);
    pem.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (pem.empty()) co_return error_response(pick_language(req), http_error::not_found);
  response r;
  r.body = std::move(pem);
  r.set("Content-Type", "application/x-x509-ca-cert");
  r.set("Content-Disposition", attachment("einlass-ca.crt"));
  co_return r;
}

awaitable<response> healthz(request&, app& a) {
  if (!database_answers(a)) co_return json_response(503, boost::json::object{{"status", "database unavailable"}});
  co_return json_response(200, boost::json::object{{"status", "ok"}});
}

awaitable<response> metrics_text(request& req, app& a) {
  if (!may_read_metrics(a, req)) {
    auto r = error_response(pick_language(req), http_error::unauthorized);
    r.set("WWW-Authenticate", "Bearer realm=\"metrics\"");
    co_return r;
  }
  bool up = database_answers(a);
  auto w = a.db_writer().counters();
  auto sqlite = checkin::sqlite_memory_now();
  auto [heap_in_use, heap_free] = heap_now();
  metrics::process_state p{.writer_jobs = w.jobs,
                           .writer_commits = w.commits,
                           .wal_restarts = w.wal_restarts,
                           .longest_writer_hold = std::chrono::duration<double>(w.longest_hold).count(),
                           .db_up = up,
                           .db_connections = a.read_connections(),
                           .sqlite_bytes = sqlite.used,
                           .sqlite_peak_bytes = sqlite.highwater,
                           .heap_in_use = heap_in_use,
                           .heap_free = heap_free};
  response r;
  r.body = a.stats().render(p);
  r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  co_return r;
}

awaitable<response> asset(request& req, app&) {
  std::string name(req.param("path"));
  auto data =
      name.find("..") == std::string::npos ? find_embedded(detail::web::files(), "assets/" + name) : std::nullopt;
  if (!data && name.starts_with("i18n/")) data = find_embedded(detail::web::files(), name);
  if (!data) co_return error_response(pick_language(req), http_error::not_found);
  // Computed once per asset: the table never changes while the binary runs.
  static std::mutex mutex;
  static std::unordered_map<std::string, std::string> etags;
  std::string etag;
  {
    std::lock_guard lock(mutex);
    auto& e = etags[name];
    if (e.empty()) e = etag_of(*data);
    etag = e;
  }
  response r;
  r.set("ETag", etag);
  r.set("Cache-Control", "no-cache");
  if (req.header("if-none-match") == etag) {
    r.status = 304;
    co_return r;
  }
  r.body = std::string(*data);
  r.set("Content-Type", std::string(content_type(name)));
  co_return r;
}

namespace {

// What the door page loads: every asset but the workspace's and the other pages'.
bool door_asset(std::string_view name) {
  if (!name.starts_with("assets/") || name == "assets/door/sw.js") return false;
  auto rest = name.substr(7);
  return !rest.starts_with("admin") && rest != "register.js" && rest != "ticket.js" && rest != "pair.js";
}

}  // namespace

std::string const& door_assets_version() {
  static std::string const version = [] {
    std::string all;
    for (auto const& f : detail::web::files())
      if (door_asset(f.name)) all.append(f.name).append(etag_of(f.data));
    auto tag = etag_of(all);
    return tag.substr(1, 16);
  }();
  return version;
}

awaitable<response> door_service_worker(request&, app&) {
  json::array assets;
  for (auto const& f : detail::web::files())
    if (door_asset(f.name)) assets.emplace_back("/" + std::string(f.name));
  response r;
  r.body = "const VERSION = '" + door_assets_version() + "';\nconst ASSETS = " + json::serialize(assets) + ";\n" +
           std::string(find_embedded(detail::web::files(), "assets/door/sw.js").value_or(""));
  r.set("Content-Type", "text/javascript; charset=utf-8");
  r.set("Cache-Control", "no-cache");
  co_return r;
}

awaitable<response> door_manifest(request& req, app&) {
  auto lang = pick_language(req);
  auto const& c = catalog::builtin();
  auto icon = [](std::string const& size, std::string const& file, std::string const& type) {
    return json::object{{"src", "/assets/door/icons/" + file}, {"sizes", size}, {"type", type}, {"purpose", "any"}};
  };
  json::object m{
      {"name", std::string(c.text(lang, "app.name")) + " – " + std::string(c.text(lang, "door.title"))},
      {"short_name", c.text(lang, "app.name")},
      {"lang", lang},
      {"dir", is_rtl(lang) ? "rtl" : "ltr"},
      {"start_url", "/checkin?lang=" + lang},
      {"scope", "/checkin"},
      {"display", "standalone"},
      {"orientation", "any"},
      {"background_color", "#ffffff"},
      {"theme_color", "#0b5394"},
      {"icons", json::array{icon("192x192", "icon-192.png", "image/png"), icon("512x512", "icon-512.png", "image/png"),
                            icon("any", "icon.svg", "image/svg+xml")}}};
  response r;
  r.body = json::serialize(m);
  r.set("Content-Type", "application/manifest+json; charset=utf-8");
  r.set("Cache-Control", "no-cache");
  co_return r;
}

}  // namespace einlass::server
