#pragma once
// The one place where failures become HTTP status codes and error bodies:
//   {"error": {"code", "message", "field"?, "fields"?: [{"field", "code", "message"}]}}
// Messages are in the request's language; a 500 never echoes internals.
#include "checkin/errors.hpp"
#include "server/app/i18n.hpp"
#include "server/http/http.hpp"

namespace einlass::server {

[[nodiscard]] int status_of(checkin::errc e);

// What a person reads for a failure: its first field's message, else the error's.
[[nodiscard]] std::string failure_message(std::string_view lang, checkin::failure const& f);
// The localised sentence for one field at fault.
[[nodiscard]] std::string field_message(std::string_view lang, checkin::field_error const& f,
                                        std::string_view detail = {});

[[nodiscard]] response error_response(std::string_view lang, checkin::failure const& f);
// Errors of the protocol rather than of the domain: who may call, what the request looks
// like, the server's own state. Each has one status and one code (its name).
enum class http_error {
  bad_request,             // 400
  invalid_utf8,            // 400
  malformed_json,          // 400
  unauthorized,            // 401
  csrf_failed,             // 403
  forbidden,               // 403
  wrong_list,              // 403
  not_found,               // 404
  pairing_invalid,         // 404
  method_not_allowed,      // 405
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  rate_limited,            // 429
  internal,                // 500
  storage_unavailable,     // 503
};
[[nodiscard]] int status_of(http_error e);
[[nodiscard]] std::string_view to_string(http_error e);

[[nodiscard]] response error_response(std::string_view lang, http_error e, placeholders values = {});

}  // namespace einlass::server
