#include "checkin/stats.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

// "2026-03-05T09:12:44Z" -> seconds since the epoch, without the time zone library:
// stored times are always UTC in this exact shape.
std::optional<std::int64_t> epoch_of(std::string_view s) {
  auto t = parse_utc_text(s);
  return t ? std::optional(t->time_since_epoch().count()) : std::nullopt;
}

}  // namespace

event_stats compute_stats(database& db, event const& e, int bucket_minutes) {
  event_stats s;
  s.bucket_minutes = std::clamp(bucket_minutes, 1, 1440);
  s.confirmed = e.confirmed;
  s.waitlisted = e.waitlisted;
  s.cancelled = e.cancelled;
  s.registered = e.confirmed + e.waitlisted + e.cancelled;

  // One read transaction: every figure from the same moment.
  db.cached("SAVEPOINT stats").run();
  try {
    auto& people = db.cached(
        "SELECT count(DISTINCT registration_id), "
        "(SELECT count(*) FROM attendance WHERE event_id = ?1 AND list_id = 0 AND inside = 1) "
        "FROM attendance WHERE event_id = ?1");
    people.bind(1, e.id);
    if (people.step()) {
      s.checked_in = people.int64(0);
      s.inside = people.int64(1);
    }
    people.reset();
    s.no_shows = std::max<std::int64_t>(0, s.confirmed - s.checked_in);
    s.no_show_rate = s.confirmed ? static_cast<double>(s.no_shows) / static_cast<double>(s.confirmed) : 0.0;

    std::map<std::int64_t, std::size_t> session_index;
    for (auto const& si : e.sessions) {
      session_index[si.id] = s.by_session.size();
      s.by_session.push_back({si.id, si.title, si.capacity, si.confirmed, 0, 0, 0});
    }
    auto& waiting = db.cached(
        "SELECT rs.session_id, count(*) FROM registrations r JOIN registration_sessions rs ON rs.registration_id = r.id "
        "WHERE r.event_id = ?1 AND r.status = 'waitlisted' GROUP BY rs.session_id");
    waiting.bind(1, e.id);
    while (waiting.step())
      if (auto it = session_index.find(waiting.int64(0)); it != session_index.end())
        s.by_session[it->second].waitlisted = waiting.int64(1);
    waiting.reset();
    auto& present = db.cached(
        "SELECT rs.session_id, count(*) FROM (SELECT DISTINCT registration_id FROM attendance WHERE event_id = ?1) a "
        "JOIN registration_sessions rs ON rs.registration_id = a.registration_id GROUP BY rs.session_id");
    present.bind(1, e.id);
    while (present.step())
      if (auto it = session_index.find(present.int64(0)); it != session_index.end())
        s.by_session[it->second].present = present.int64(1);
    present.reset();
    auto& lists = db.cached(
        "SELECT list_id, count(*) FROM attendance WHERE event_id = ?1 AND list_id <> 0 GROUP BY list_id");
    lists.bind(1, e.id);
    while (lists.step())
      if (auto it = session_index.find(lists.int64(0)); it != session_index.end())
        s.by_session[it->second].checked_in = lists.int64(1);
    lists.reset();

    std::map<std::string, event_stats::type_row> types;
    auto& by_type = db.cached(
        "SELECT organisation_type, status, count(*) FROM registrations WHERE event_id = ?1 GROUP BY 1, 2");
    by_type.bind(1, e.id);
    while (by_type.step()) {
      auto& row = types[by_type.text(0)];
      auto status = by_type.text(1);
      auto n = by_type.int64(2);
      (status == "confirmed" ? row.confirmed : status == "waitlisted" ? row.waitlisted : row.cancelled) += n;
    }
    by_type.reset();
    auto& type_in = db.cached(
        "SELECT r.organisation_type, count(*) FROM (SELECT DISTINCT registration_id FROM attendance WHERE event_id = ?1) a "
        "JOIN registrations r ON r.id = a.registration_id GROUP BY 1");
    type_in.bind(1, e.id);
    while (type_in.step()) types[type_in.text(0)].checked_in = type_in.int64(1);
    type_in.reset();
    for (auto t : organisation_types)
      if (auto it = types.find(std::string(t)); it != types.end()) {
        it->second.type = t;
        s.by_organisation_type.push_back(it->second);
        types.erase(it);
      }
    for (auto& [type, row] : types) {  // "" (not asked) and types of older releases
      row.type = type;
      s.by_organisation_type.push_back(row);
    }

    // Arrivals and devices from one walk over the covering index, in time order.
    std::int64_t width = std::int64_t{s.bucket_minutes} * 60;
    std::map<std::int64_t, std::int64_t> per_device;
    auto& arrivals = db.cached(
        "SELECT first_at, first_device_id FROM attendance WHERE event_id = ?1 AND list_id = 0 ORDER BY first_at");
    arrivals.bind(1, e.id);
    std::string last_minute;
    std::int64_t last_start = 0;
    while (arrivals.step()) {
      auto at = arrivals.text(0);
      // Stored times of one minute share a bucket: parse only when the minute changes.
      if (at.compare(0, 16, last_minute) != 0) {
        last_minute = at.substr(0, 16);
        auto secs = epoch_of(at).value_or(0);
        last_start = secs - ((secs % width) + width) % width;
      }
      if (s.arrivals.empty() || s.arrivals.back().at.time_since_epoch().count() != last_start) {
        // Fill the gap so a chart's x axis is even.
        while (!s.arrivals.empty() && s.arrivals.back().at.time_since_epoch().count() + width < last_start)
          s.arrivals.push_back({s.arrivals.back().at + std::chrono::seconds(width), 0});
        s.arrivals.push_back({sys_seconds{std::chrono::seconds(last_start)}, 0});
      }
      ++s.arrivals.back().count;
      ++per_device[arrivals.optional_int64(1).value_or(0)];
    }
    arrivals.reset();
    if (!per_device.empty()) {
      auto& names = db.cached("SELECT id, name FROM devices WHERE event_id = ?1 ORDER BY id");
      names.bind(1, e.id);
      while (names.step())
        if (auto it = per_device.find(names.int64(0)); it != per_device.end())
          s.by_device.push_back({names.int64(0), names.text(1), it->second});
      names.reset();
      if (auto it = per_device.find(0); it != per_device.end()) s.by_device.push_back({0, "", it->second});
    }
    db.cached("RELEASE stats").run();
  } catch (...) {
    db.exec("ROLLBACK TO stats; RELEASE stats");
    throw;
  }
  return s;
}

json::object stats_to_json(event_stats const& s, std::string_view zone) {
  json::object o;
  o["registered"] = s.registered;
  o["confirmed"] = s.confirmed;
  o["waitlisted"] = s.waitlisted;
  o["cancelled"] = s.cancelled;
  o["checked_in"] = s.checked_in;
  o["inside"] = s.inside;
  o["no_shows"] = s.no_shows;
  o["no_show_rate"] = s.no_show_rate;
  json::array sessions;
  for (auto const& r : s.by_session)
    sessions.push_back(json::object{{"id", r.id},
                                    {"title", r.title},
                                    {"capacity", r.capacity ? json::value(*r.capacity) : json::value(nullptr)},
                                    {"confirmed", r.confirmed},
                                    {"waitlisted", r.waitlisted},
                                    {"present", r.present},
                                    {"checked_in", r.checked_in}});
  o["by_session"] = std::move(sessions);
  json::object types;
  for (auto const& r : s.by_organisation_type)
    types[r.type] = json::object{
        {"confirmed", r.confirmed}, {"waitlisted", r.waitlisted}, {"cancelled", r.cancelled}, {"checked_in", r.checked_in}};
  o["by_organisation_type"] = std::move(types);
  o["bucket_minutes"] = s.bucket_minutes;
  json::array arrivals;
  for (auto const& b : s.arrivals) arrivals.push_back(json::object{{"at", to_iso8601(b.at, zone)}, {"count", b.count}});
  o["arrivals"] = std::move(arrivals);
  json::array devices;
  for (auto const& d : s.by_device)
    devices.push_back(json::object{{"id", d.id}, {"name", d.name}, {"admitted", d.admitted}});
  o["by_device"] = std::move(devices);
  return o;
}

}  // namespace einlass::checkin
