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
    case errc::last_admin:
    case errc::already_answered: return 409;
  }
  return 500;
}

std::string field_message(std::string_view lang, checkin::field_error const& f, std::string_view detail) {
  auto const& c = catalog::builtin();
  return c.format(lang, "reason." + f.reason, {{"detail", detail}});
}

std::string failure_message(std::string_view lang, checkin::failure const& f) {
  if (!f.fields.empty()) return field_message(lang, f.fields.front(), f.detail);
  return std::string(catalog::builtin().text(lang, "error." + std::string(to_string(f.code))));
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
      list.push_back(
          json::object{{"field", fe.field}, {"code", fe.reason}, {"message", field_message(lang, fe, f.detail)}});
    err["fields"] = std::move(list);
  }
  return json_response(status_of(f.code), json::object{{"error", std::move(err)}});
}

int status_of(http_error e) {
  switch (e) {
    case http_error::bad_request:
    case http_error::invalid_utf8:
    case http_error::malformed_json: return 400;
    case http_error::unauthorized: return 401;
    case http_error::csrf_failed:
    case http_error::forbidden:
    case http_error::wrong_list: return 403;
    case http_error::not_found:
    case http_error::pairing_invalid: return 404;
    case http_error::method_not_allowed: return 405;
    case http_error::payload_too_large: return 413;
    case http_error::unsupported_media_type: return 415;
    case http_error::rate_limited: return 429;
    case http_error::internal: return 500;
    case http_error::storage_unavailable: return 503;
  }
  return 500;
}

std::string_view to_string(http_error e) {
  switch (e) {
    case http_error::bad_request: return "bad_request";
    case http_error::invalid_utf8: return "invalid_utf8";
    case http_error::malformed_json: return "malformed_json";
    case http_error::unauthorized: return "unauthorized";
    case http_error::csrf_failed: return "csrf_failed";
    case http_error::forbidden: return "forbidden";
    case http_error::wrong_list: return "wrong_list";
    case http_error::not_found: return "not_found";
    case http_error::pairing_invalid: return "pairing_invalid";
    case http_error::method_not_allowed: return "method_not_allowed";
    case http_error::payload_too_large: return "payload_too_large";
    case http_error::unsupported_media_type: return "unsupported_media_type";
    case http_error::rate_limited: return "rate_limited";
    case http_error::internal: return "internal";
    case http_error::storage_unavailable: return "storage_unavailable";
  }
  return "internal";
}

response error_response(std::string_view lang, http_error e, placeholders values) {
  auto const& c = catalog::builtin();
  auto code = to_string(e);
  json::object err{{"code", code}, {"message", c.format(lang, "error." + std::string(code), values)}};
  return json_response(status_of(e), json::object{{"error", std::move(err)}});
}

}  // namespace einlass::server
