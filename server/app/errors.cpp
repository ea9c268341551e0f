#include "server/app/errors.hpp"

#include <boost/json/object.hpp>

namespace einlass::server {

namespace json = boost::json;

int status_of(checkin::errc e) {
  using checkin::errc;
  switch (e) {
    case errc::invalid_field: return 422;
    case errc::not_found:
    case errc::event_not_published: return 404;
    case errc::registration_not_open:
    case errc::registration_closed:
    case errc::event_full:
    case errc::session_full:
    case errc::already_registered:
    case errc::slug_taken:
    case errc::session_in_use:
    case errc::account_exists:
    case errc::last_admin: return 409;
  }
  return 500;
}

std::string field_message(std::string_view lang, checkin::field_error const& f, std::string_view detail) {
  auto const& c = catalog::builtin();
  return c.format(lang, "reason." + f.reason, {{"detail", detail}});
}

response error_response(std::string_view lang, checkin::failure const& f) {
  auto const& c = catalog::builtin();
  auto code = to_string(f.code);
  json::object err;
  err["code"] = code;
  err["message"] = c.text(lang, "error." + std::string(code));
  if (!f.fields.empty()) {
    err["field"] = f.fields.front().field;
    if (f.code != checkin::errc::invalid_field) err["message"] = field_message(lang, f.fields.front(), f.detail);
    json::array list;
    for (auto const& fe : f.fields)
      list.push_back(json::object{{"field", fe.field}, {"code", fe.reason}, {"message", field_message(lang, fe, f.detail)}});
    err["fields"] = std::move(list);
  }
  return json_response(status_of(f.code), json::object{{"error", std::move(err)}});
}

response error_response(std::string_view lang, int status, std::string_view code, placeholders values) {
  auto const& c = catalog::builtin();
  json::object err{{"code", code}, {"message", c.format(lang, "error." + std::string(code), values)}};
  return json_response(status, json::object{{"error", std::move(err)}});
}

}  // namespace einlass::server
