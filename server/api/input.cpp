#include "server/api/input.hpp"

#include "checkin/text.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <algorithm>
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

upload upload_of(request const& req) {
  std::string type(req.header("content-type"));
  if (auto semi = type.find(';'); semi != std::string::npos) type.resize(semi);
  return {std::move(type), req.method == "DELETE" ? std::string() : req.body};
}

response invalid(std::string_view lang, std::string field, std::string reason) {
  return error_response(lang, failure{errc::invalid_field, {{std::move(field), std::move(reason)}}, {}});
}

reply<attendee_filter> filter_from_query(request const& req, std::string_view lang, event const& e) {
  attendee_filter f;
  if (auto s = req.query_value("status"); s && !s->empty()) {
    f.status = reg_status_from_string(*s);
    if (!f.status || *f.status == reg_status::unconfirmed) return invalid(lang, "status", "invalid_choice");
  }
  if (auto s = req.query_value("session"); s && !s->empty()) {
    f.session_id = number_of(*s);
    if (!f.session_id || !e.find_session(*f.session_id)) return invalid(lang, "session", "unknown_session");
  }
  if (auto s = req.query_value("organisation_type"); s && !s->empty()) f.organisation_type = std::string(*s);
  if (auto s = req.query_value("checked_in"); s && !s->empty()) {
    if (*s != "yes" && *s != "no") return invalid(lang, "checked_in", "invalid_choice");
    f.checked_in = *s == "yes";
  }
  if (auto s = req.query_value("q")) f.q = std::string(*s);
  if (auto s = req.query_value("ids"); s && !s->empty()) {
    for (std::size_t at = 0; at <= s->size();) {
      auto comma = std::min(s->find(',', at), s->size());
      auto id = number_of(s->substr(at, comma - at));
      if (!id || f.ids.size() >= 5000) return invalid(lang, "ids", "invalid_number");
      f.ids.push_back(*id);
      at = comma + 1;
    }
  }
  if (auto s = req.query_value("sort"); s && !s->empty()) {
    if (std::ranges::find(attendee_sorts, *s) == attendee_sorts.end()) return invalid(lang, "sort", "invalid_choice");
    f.sort = std::string(*s);
  }
  if (auto s = req.query_value("order"); s && !s->empty()) {
    if (*s != "asc" && *s != "desc") return invalid(lang, "order", "invalid_choice");
    f.descending = *s == "desc";
  }
  if (auto s = req.query_value("limit")) {
    auto n = number_of(*s);
    if (!n || *n < 1 || *n > 1000) return invalid(lang, "limit", "invalid_number");
    f.limit = static_cast<int>(*n);
  }
  if (auto s = req.query_value("offset")) {
    auto n = number_of(*s);
    if (!n || *n > (1 << 30)) return invalid(lang, "offset", "invalid_number");
    f.offset = static_cast<int>(*n);
  }
  return f;
}

reply<json::object> read_object(request const& req, std::string_view lang) {
  auto body = read_json(req, lang);
  if (!body) return std::move(body).error();
  auto& v = *body;
  if (!v.is_object()) return invalid(lang, "body", "invalid_type");
  return std::move(v.get_object());
}

}  // namespace einlass::server
