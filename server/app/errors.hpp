#pragma once
// The one place where failures become HTTP status codes and error bodies:
//   {"error": {"code", "message", "field"?, "fields"?: [{"field", "code", "message"}]}}
// Messages are in the request's language; a 500 never echoes internals.
#include "checkin/errors.hpp"
#include "server/http/http.hpp"
#include "server/app/i18n.hpp"

namespace einlass::server {

[[nodiscard]] int status_of(checkin::errc e);

// The localised sentence for one field at fault.
[[nodiscard]] std::string field_message(std::string_view lang, checkin::field_error const& f,
                                        std::string_view detail = {});

[[nodiscard]] response error_response(std::string_view lang, checkin::failure const& f);
// An error that is not a domain outcome: unauthorized, forbidden, malformed_json, ...
[[nodiscard]] response error_response(std::string_view lang, int status, std::string_view code,
                                      placeholders values = {});

}  // namespace einlass::server
