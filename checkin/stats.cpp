#include "checkin/stats.hpp"

#include "checkin/conflicts.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

// "2026-03-05T09:12:00Z" -> seconds since the epoch.
std::optional<std::int64_t> epoch_of(std::string_view s) {
  auto t = parse_utc_text(s);
  return t ? std::optional(t->time_since_epoch().count()) : std::nullopt;
}

}  // namespace

namespace {

// Registrations and admissions by organisation type, in the catalogue's order, then the rest.
void read_types(database& db, event const& e, event_stats& s) {
  std::map<std::string, event_stats::type_row> types;
  auto by_type = db.cached("SELECT organisation_type, status, came, n FROM stat_types WHERE event_id = ?1");
  by_type.bind(1, e.id);
  while (by_type.step()) {
    auto& row = types[by_type.text(0)];
    auto status = by_type.text(1);
    auto n = by_type.int64(3);
    (status == "confirmed" ? row.confirmed : status == "waitlisted" ? row.waitlisted : row.cancelled) += n;
    if (by_type.int64(2)) {
      row.checked_in += n;
      s.checked_in += n;
    }
  }
  for (auto t : organisation_types)
    if (auto it = types.find(std::string(t)); it != types.end()) {
      it->second.type = t;
      if (it->second.confirmed + it->second.waitlisted + it->second.cancelled > 0)
        s.by_organisation_type.push_back(it->second);
      types.erase(it);
    }
  for (auto& [type, row] : types) {  // "" (not asked) and types of older releases
    row.type = type;
    if (row.confirmed + row.waitlisted + row.cancelled > 0) s.by_organisation_type.push_back(row);
  }
  s.no_shows = std::max<std::int64_t>(0, s.confirmed - s.checked_in);
  s.no_show_rate = s.confirmed ? static_cast<double>(s.no_shows) / static_cast<double>(s.confirmed) : 0.0;
  s.offline_conflicts = count_offline_conflicts(db, e.id);
}

// Per session: seats, waiting list and who is present; per door list: who is inside.
void read_sessions_and_lists(database& db, event const& e, event_stats& s) {
  std::map<std::int64_t, std::size_t> session_index;
  for (auto const& si : e.sessions) {
    session_index[si.id] = s.by_session.size();
    s.by_session.push_back({si.id, si.title, si.capacity, si.confirmed, 0, 0, 0});
  }
  auto sessions = db.cached(
      "SELECT ss.session_id, ss.status, ss.came, ss.n FROM stat_sessions ss "
      "JOIN event_sessions es ON es.id = ss.session_id WHERE es.event_id = ?1");
  sessions.bind(1, e.id);
  while (sessions.step()) {
    auto it = session_index.find(sessions.int64(0));
    if (it == session_index.end()) continue;
    auto& row = s.by_session[it->second];
    auto status = sessions.text(1);
    if (status == "waitlisted") row.waitlisted += sessions.int64(3);
    if (sessions.int64(2)) row.present += sessions.int64(3);
  }

  auto lists = db.cached("SELECT list_id, checked_in, inside FROM stat_lists WHERE event_id = ?1");
  lists.bind(1, e.id);
  while (lists.step()) {
    if (lists.int64(0) == 0) s.inside = lists.int64(2);
    else if (auto it = session_index.find(lists.int64(0)); it != session_index.end())
      s.by_session[it->second].checked_in = lists.int64(1);
  }
}

// Arrivals per interval and admissions per device from the per-minute counts, in time order.
void read_arrivals(database& db, event const& e, event_stats& s) {
  std::int64_t width = std::int64_t{s.bucket_minutes} * 60;
  std::map<std::int64_t, std::int64_t> per_device;
  auto arrivals =
      db.cached("SELECT minute, device_id, n FROM stat_arrivals WHERE event_id = ?1 AND n > 0 ORDER BY minute");
  arrivals.bind(1, e.id);
  while (arrivals.step()) {
    auto secs = epoch_of(arrivals.text(0) + ":00Z").value_or(0);
    auto start = secs - ((secs % width) + width) % width;
    if (s.arrivals.empty() || s.arrivals.back().at.time_since_epoch().count() != start) {
      // Fill the gap so a chart's x axis is even.
      while (!s.arrivals.empty() && s.arrivals.back().at.time_since_epoch().count() + width < start)
        s.arrivals.push_back({s.arrivals.back().at + std::chrono::seconds(width), 0});
      s.arrivals.push_back({sys_seconds{std::chrono::seconds(start)}, 0});
    }
    s.arrivals.back().count += arrivals.int64(2);
    per_device[arrivals.int64(1)] += arrivals.int64(2);
  }
  if (!per_device.empty()) {
    auto names = db.cached("SELECT id, name FROM devices WHERE event_id = ?1 ORDER BY id");
    names.bind(1, e.id);
    while (names.step())
      if (auto it = per_device.find(names.int64(0)); it != per_device.end())
        s.by_device.push_back({names.int64(0), names.text(1), it->second});
    if (auto it = per_device.find(0); it != per_device.end()) s.by_device.push_back({0, "", it->second});
  }
}

}  // namespace

event_stats compute_stats(database& db, event const& e, int bucket_minutes) {
  event_stats s;
  s.bucket_minutes = std::clamp(bucket_minutes, 1, 1440);
  s.confirmed = e.confirmed;
  s.capacity = e.capacity;
  if (e.capacity) s.overbooked = std::max<std::int64_t>(0, e.confirmed - *e.capacity);
  s.waitlisted = e.waitlisted;
  s.cancelled = e.cancelled;
  s.registered = e.confirmed + e.waitlisted + e.cancelled;
  // One read transaction: every figure from the same moment. Every query reads the counters
  // of schema/005 (a few rows per type, session, list and minute), never the people; the
  // conflicts count reads only scans admitted offline (a partial index, schema/009).
  savepoint snapshot(db, "stats");
  read_types(db, e, s);
  read_sessions_and_lists(db, e, s);
  read_arrivals(db, e, s);
  snapshot.release();
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
  o["offline_conflicts"] = s.offline_conflicts;
  o["capacity"] = s.capacity ? json::value(*s.capacity) : json::value(nullptr);
  o["overbooked"] = s.overbooked;
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
    types[r.type] = json::object{{"confirmed", r.confirmed},
                                 {"waitlisted", r.waitlisted},
                                 {"cancelled", r.cancelled},
                                 {"checked_in", r.checked_in}};
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
