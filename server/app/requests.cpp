#include "server/app/requests.hpp"

#include "checkin/limits.hpp"
#include "checkin/organisations.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/users.hpp"
#include "server/app/errors.hpp"

#include <boost/json/parse.hpp>

#include <cctype>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

reply<json::value> read_json(request const& req, std::string_view lang) {
  auto type = req.header("content-type");
  if (!type.empty() && !type.starts_with("application/json"))
    return error_response(lang, http_error::unsupported_media_type);
  if (!is_valid_utf8(req.body)) return error_response(lang, http_error::invalid_utf8);
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  auto v = json::parse(req.body, ec, {}, opts);
  if (ec) return error_response(lang, http_error::malformed_json);
  return v;
}

std::optional<event> visible_event(app& a, request const& req, std::string_view slug) {
  app::reader db(a);
  auto e = find_event(*db, slug);
  if (!e || e->status == "published") return e;
  if (auto u = a.organiser(req); u && can_manage(*db, *u, *e)) return e;
  return std::nullopt;
}

std::optional<int> over_rate_limit(app& a, request const& req, budget b) {
  static constexpr std::string_view prefix[] = {"r ", "s ", "p "};
  auto key = std::string(prefix[static_cast<int>(b)]) + req.remote;
  if (a.cfg().rate_limit <= 0) return std::nullopt;
  // Several servers on one PostgreSQL share one budget per address; a lone SQLite server
  // counts in memory.
  if (checkin::is_postgresql_url(a.cfg().db_path)) {
    app::reader db(a);
    return checkin::count_hit(*db, key, checkin::now(), a.cfg().rate_limit);
  }
  return a.limiter().hit(key);
}

response rate_limited(std::string_view lang, int retry_after) {
  auto seconds = std::to_string(retry_after);
  auto r = error_response(lang, http_error::rate_limited, {{"seconds", seconds}});
  r.set("Retry-After", seconds);
  return r;
}

std::string attachment(std::string_view file_name) {
  std::string name(file_name.substr(0, 200));
  for (auto& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != '_') ch = '_';
  if (name.empty() || name.front() == '.') name.insert(0, "download");
  return "attachment; filename=\"" + name + "\"";
}

awaitable<outcome<registration>> register_person(app& a, event const& e, registration_input in) {
  if (auto errors = validate(in, e); !errors.empty()) {
    a.stats().registration(std::nullopt);
    co_return failure{errc::invalid_field, std::move(errors), {}};
  }
  outcome<registration> result = fail(errc::not_found);
  co_await a.write([&](database& db) { result = register_participant(db, e, in, now()); });
  a.stats().registration(result ? std::optional(result->status) : std::nullopt);
  co_return result;
}

std::optional<response> settle_organisation(app& a, checkin::user const& who, checkin::event& e, bool is_new,
                                            std::string_view lang) {
  app::reader db(a);
  if (e.organisation.empty()) {
    if (!is_new) return std::nullopt;
    auto mine = checkin::list_organisations(*db, false, who.id);
    if (mine.size() == 1) e.organisation = mine.front().slug;
    return std::nullopt;
  }
  auto org = checkin::find_organisation(*db, e.organisation);
  if (org && (who.is_admin() || checkin::is_member(*db, org->id, who.id))) return std::nullopt;
  return error_response(lang, checkin::fail(checkin::errc::invalid_field, "organisation", "unknown_organisation"));
}

}  // namespace einlass::server
