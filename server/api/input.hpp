#pragma once
// Reading the JSON API's input: numbers in paths and queries, text fields, the object body,
// and the invalid_field answer.
#include "checkin/attendees.hpp"
#include "server/http/http.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace einlass::server {

// A non-negative decimal number, nothing else.
[[nodiscard]] std::optional<std::int64_t> number_of(std::string_view s);
// The trimmed text of a string member; empty when absent or not a string.
[[nodiscard]] std::string text_in(boost::json::object const& o, std::string_view key);
// An uploaded file sent as the body (a logo, a signature): its media type without parameters
// and its bytes; a DELETE has none.
struct upload {
  std::string type, bytes;
};
[[nodiscard]] upload upload_of(request const& req);
// 422 invalid_field for one field, in the caller's language.
[[nodiscard]] response invalid(std::string_view lang, std::string field, std::string reason);
// The attendee list's filter from the query (status, session, organisation_type,
// checked_in=yes|no, q, ids=1,2,3, sort, order=asc|desc, limit, offset), or a 422.
[[nodiscard]] reply<checkin::attendee_filter> filter_from_query(request const& req, std::string_view lang,
                                                                checkin::event const& e);
// The JSON object body, or the error response.
[[nodiscard]] reply<boost::json::object> read_object(request const& req, std::string_view lang);

}  // namespace einlass::server
