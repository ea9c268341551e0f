#include "checkin/conflicts.hpp"

#include <boost/json.hpp>

namespace einlass::checkin {

namespace json = boost::json;

std::vector<offline_conflict> offline_conflicts(database& db, std::int64_t event_id) {
  auto st = db.cached(
      "SELECT r.id, r.ticket_code, r.first_name, r.last_name, c.list_id, coalesce(d1.name, ''), "
      "coalesce(d2.name, ''), a.first_at, c.at "
      "FROM checkins c JOIN attendance a ON a.registration_id = c.registration_id AND a.list_id = c.list_id "
      "JOIN registrations r ON r.id = c.registration_id "
      "LEFT JOIN devices d1 ON d1.id = a.first_device_id LEFT JOIN devices d2 ON d2.id = c.device_id "
      "WHERE c.event_id = ?1 AND " +
      std::string(conflict_condition) + " ORDER BY c.at, c.id");
  st.bind(1, event_id);
  std::vector<offline_conflict> out;
  while (st.step())
    out.push_back({st.int64(0), st.text(1), st.text(2), st.text(3), st.int64(4), st.text(5), st.text(6),
                   parse_utc_text(st.text(7)).value_or(sys_seconds{}),
                   parse_utc_text(st.text(8)).value_or(sys_seconds{})});
  return out;
}

std::int64_t count_offline_conflicts(database& db, std::int64_t event_id) {
  return db
      .query_one<std::int64_t>(
          "SELECT count(*) FROM checkins c WHERE c.event_id = ?1 AND " + std::string(conflict_condition), event_id)
      .value_or(0);
}

json::object conflict_to_json(offline_conflict const& c, std::string_view zone) {
  return {{"ticket", c.ticket_code},
          {"registration_id", c.registration_id},
          {"first_name", c.first_name},
          {"last_name", c.last_name},
          {"list", c.list_id == 0 ? json::value("event") : json::value(c.list_id)},
          {"devices", json::array{json::value(c.first_device), json::value(c.second_device)}},
          {"at", json::array{json::value(to_iso8601(c.first_at, zone)), json::value(to_iso8601(c.second_at, zone))}}};
}

}  // namespace einlass::checkin
