#include "server/api/input.hpp"

#include "checkin/text.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <charconv>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

std::optional<std::int64_t> number_of(std::string_view s) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

std::string text_in(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string(trim(v->get_string())) : std::string();
}

response invalid(std::string_view lang, std::string field, std::string reason) {
  return error_response(lang, failure{errc::invalid_field, {{std::move(field), std::move(reason)}}, {}});
}

reply<json::object> read_object(request const& req, std::string_view lang) {
  auto body = read_json(req, lang);
  if (!body) return std::move(body).error();
  auto& v = *body;
  if (!v.is_object()) return invalid(lang, "body", "invalid_type");
  return std::move(v.get_object());
}

}  // namespace einlass::server
