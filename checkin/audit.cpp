#include "checkin/audit.hpp"

#include <boost/json.hpp>

namespace einlass::checkin {

namespace json = boost::json;

void audit(database& db, user const& who, std::optional<std::int64_t> event_id, std::string_view action,
           json::object const& detail, sys_seconds at) {
  auto st = db.cached(
      "INSERT INTO audit_log (at, user_id, user_email, event_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  // user 0: the server itself (housekeeping), recorded without a user row.
  auto user_id = who.id ? std::optional(who.id) : std::nullopt;
  st.bind_all(to_utc_text(at), user_id, who.email, event_id, action, json::serialize(detail)).run();
}

std::vector<audit_entry> audit_entries(database& db, std::optional<std::int64_t> event_id, int limit,
                                       std::optional<std::int64_t> before) {
  auto st = db.cached(
      "SELECT id, at, user_email, event_id, action, detail FROM audit_log "
      "WHERE (CAST(?1 AS BIGINT) IS NULL OR event_id = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3");
  st.bind_all(event_id, before.value_or(INT64_MAX), limit);
  std::vector<audit_entry> out;
  while (st.step()) {
    audit_entry a{st.int64(0), parse_utc_text(st.text(1)).value(), st.text(2), st.text(4), st.optional_int64(3), {}};
    auto v = json::parse(st.text(5));
    if (v.is_object()) a.detail = std::move(v.get_object());
    out.push_back(std::move(a));
  }
  return out;
}

json::object audit_to_json(audit_entry const& a, std::string_view zone) {
  return {
      {"id", a.id}, {"at", to_iso8601(a.at, zone)}, {"user", a.user_email}, {"action", a.action}, {"detail", a.detail}};
}

}  // namespace einlass::checkin
