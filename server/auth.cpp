#include "server/auth.hpp"

#include "checkin/store.hpp"
#include "server/errors.hpp"

namespace einlass::server {

std::variant<checkin::user, response> require_organiser(app& a, request const& req, std::string_view lang) {
  auto token = req.bearer();
  if (token.empty()) return error_response(lang, 401, "unauthorized");
  app::reader db(a);
  if (auto u = checkin::user_by_token(*db, token)) return *u;
  if (checkin::is_device_token(*db, token)) return error_response(lang, 403, "forbidden");
  return error_response(lang, 401, "unauthorized");
}

std::variant<checkin::device, response> require_device(app& a, request const& req, std::string_view lang) {
  auto token = req.bearer();
  if (token.empty()) return error_response(lang, 401, "unauthorized");
  app::reader db(a);
  if (auto d = checkin::device_by_token(*db, token)) return *d;
  if (checkin::user_by_token(*db, token)) return error_response(lang, 403, "forbidden");
  return error_response(lang, 401, "unauthorized");
}

std::variant<managed_event, response> require_managed_event(app& a, request const& req, std::string_view lang,
                                                            std::string_view slug) {
  auto who = require_organiser(a, req, lang);
  if (auto* r = std::get_if<response>(&who)) return std::move(*r);
  auto const& u = std::get<checkin::user>(who);
  app::reader db(a);
  auto e = checkin::find_event(*db, slug);
  if (!e) return error_response(lang, 404, "not_found");
  if (!checkin::can_manage(*db, u, *e)) return error_response(lang, 403, "forbidden");
  return managed_event{u, std::move(*e)};
}

}  // namespace einlass::server
