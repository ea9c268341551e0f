#include "checkin/export.hpp"

#include "checkin/conflicts.hpp"
#include "checkin/registration.hpp"
#include "checkin/text.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace einlass::checkin {

namespace json = boost::json;

// ---- What is written ----

namespace {

struct attendee_line {
  registration reg;
  std::optional<sys_seconds> first_at;
  std::string first_device;
  bool inside = false;
  bool anonymised = false;
  json::array checkins;  // filled only when asked for
};

// Walks the event's registrations in id order, merging their sessions, their first admission
// and (optionally) every scan from cursors sorted the same way: a constant number of queries.
template <class F>
void each_attendee(database& db, event const& e, bool with_scans, attendee_filter const& only, F&& f) {
  savepoint snapshot(db, "export");
  {  // the queries end before the snapshot does
    auto regs =
        db.cached("SELECT " + std::string(registration_fields) + ", anonymised_at IS NOT NULL FROM registrations r " +
                  attendee_filter_where(db.engine()) + "ORDER BY r.id");
    auto sess = db.cached(
        "SELECT rs.registration_id, rs.session_id FROM registration_sessions rs "
        "JOIN registrations r ON r.id = rs.registration_id WHERE r.event_id = ?1 ORDER BY rs.registration_id, "
        "rs.session_id");
    auto att = db.cached(
        "SELECT a.registration_id, a.first_at, coalesce(d.name, ''), a.inside FROM attendance a "
        "LEFT JOIN devices d ON d.id = a.first_device_id WHERE a.event_id = ?1 AND a.list_id = 0 ORDER BY "
        "a.registration_id");
    auto scans = db.cached(
        "SELECT c.registration_id, c.at, c.type, c.result, c.list_id, coalesce(d.name, '') FROM checkins c "
        "LEFT JOIN devices d ON d.id = c.device_id WHERE c.event_id = ?1 AND c.registration_id IS NOT NULL "
        "ORDER BY c.registration_id, c.id");
    for (auto* st : {&sess, &att, &scans}) st->bind(1, e.id);
    bind_attendee_filter(regs, e.id, only);  // the other cursors skip the rows it leaves out
    bool s_ok = sess.step(), a_ok = att.step(), c_ok = with_scans && scans.step();
    wall_clock clock(e.timezone);
    while (regs.step()) {
      attendee_line line{read_registration(regs), {}, {}, false, regs.int64(16) != 0, {}};
      auto id = line.reg.id;
      for (; s_ok && sess.int64(0) <= id; s_ok = sess.step())
        if (sess.int64(0) == id) line.reg.sessions.push_back(sess.int64(1));
      for (; a_ok && att.int64(0) <= id; a_ok = att.step())
        if (att.int64(0) == id) {
          line.first_at = parse_utc_text(att.text(1));
          line.first_device = att.text(2);
          line.inside = att.int64(3) != 0;
        }
      for (; c_ok && scans.int64(0) <= id; c_ok = scans.step())
        if (scans.int64(0) == id)
          line.checkins.push_back(json::object{{"at", clock.iso8601(parse_utc_text(scans.text(1)).value())},
                                               {"type", scans.text(2)},
                                               {"result", scans.text(3)},
                                               {"list", scans.int64(4)},
                                               {"device", scans.text(5)}});
      f(line);
    }
    for (auto* st : {&regs, &sess, &att, &scans}) st->reset();
  }
  snapshot.release();
}

// The labeller with memory: a download asks for the same few labels on every row.
class labels {
 public:
  explicit labels(labeller const& l) : l_(l) {}
  std::string const& operator()(std::string const& key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) it = memo_.emplace(key, l_(key)).first;
    return it->second;
  }

 private:
  labeller const& l_;
  std::unordered_map<std::string, std::string> memo_;
};

std::string answer_text(json::value const* v, labeller const& label) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_bool()) return label(v->get_bool() ? "yes" : "no");
  if (v->is_array()) {
    std::string out;
    for (auto const& x : v->get_array())
      if (x.is_string()) out += (out.empty() ? "" : "; ") + std::string(x.get_string());
    return out;
  }
  return json::serialize(*v);
}

std::string list_name(event const& e, std::int64_t list, labeller const& label) {
  if (list == 0) return label("list.event");
  auto const* s = e.find_session(list);
  return s ? s->title : std::to_string(list);
}

}  // namespace

void write_attendees(database& db, event const& e, table_sink& out, labeller const& names,
                     attendee_filter const& only) {
  labels label(names);
  for (auto key : {"col.number", "col.status", "col.first_name", "col.last_name", "col.email", "col.organisation",
                   "col.organisation_type", "col.position", "col.phone", "col.language", "col.sessions"})
    out.text(label(key));
  for (auto const& q : e.questions) out.text(q.label);
  for (auto key : {"col.registered_at", "col.checked_in", "col.checked_in_at", "col.device", "col.inside"})
    out.text(label(key));
  out.end_row();

  each_attendee(db, e, false, only, [&](attendee_line const& a) {
    auto const& r = a.reg;
    out.number(static_cast<double>(r.id));
    out.text(label("status." + std::string(to_string(r.status))));
    out.text(r.first_name);
    out.text(r.last_name);
    out.text(r.email);
    out.text(r.organisation);
    out.text(r.organisation_type.empty() ? "" : label("organisation_type." + r.organisation_type));
    out.text(r.position);
    out.text(r.phone);
    out.text(r.language);
    std::string titles;
    for (auto s : r.sessions)
      if (auto const* si = e.find_session(s)) titles += (titles.empty() ? "" : "; ") + si->title;
    out.text(titles);
    for (auto const& q : e.questions) out.text(answer_text(r.answers.if_contains(q.key), names));
    out.time(r.created_at);
    out.text(label(a.first_at ? "yes" : "no"));
    if (a.first_at) out.time(*a.first_at);
    else out.blank();
    out.text(a.first_device);
    out.text(label(a.inside ? "yes" : "no"));
    out.end_row();
  });
}

void write_checkins(database& db, event const& e, table_sink& out, labeller const& names) {
  labels label(names);
  for (auto key :
       {"col.time", "col.type", "col.result", "col.list", "col.device", "col.number", "col.first_name", "col.last_name",
        "col.organisation", "col.received_at", "col.conflict", "col.corrected_by", "col.reason"})
    out.text(label(key));
  out.end_row();
  // received_at: a scan queued offline arrived then (its time is the scan's). conflict: an
  // offline admission of someone another device had admitted (checkin/conflicts.hpp). A
  // correction by hand names its organiser and reason (checkin/corrections.hpp).
  auto st = db.cached(
      "SELECT c.at, c.type, c.result, c.list_id, coalesce(d.name, ''), c.registration_id, "
      "coalesce(r.first_name, ''), coalesce(r.last_name, ''), coalesce(r.organisation, ''), c.received_at, "
      "CASE WHEN " +
      std::string(conflict_condition) +
      " THEN 1 ELSE 0 END, coalesce(u.email, ''), coalesce(c.reason, '') FROM checkins c "
      "LEFT JOIN devices d ON d.id = c.device_id LEFT JOIN registrations r ON r.id = c.registration_id "
      "LEFT JOIN users u ON u.id = c.by_user_id WHERE c.event_id = ?1 ORDER BY c.at, c.id");
  st.bind(1, e.id);
  while (st.step()) {
    if (auto t = parse_utc_text(st.text(0))) out.time(*t);
    else out.blank();
    out.text(label("scan_type." + st.text(1)));
    out.text(label("result." + st.text(2)));
    out.text(list_name(e, st.int64(3), names));
    out.text(st.text(4));
    if (auto id = st.optional_int64(5)) out.number(static_cast<double>(*id));
    else out.blank();
    out.text(st.text(6));
    out.text(st.text(7));
    out.text(st.text(8));
    auto received = st.optional_text(9);
    if (auto t = received ? parse_utc_text(*received) : std::nullopt) out.time(*t);
    else out.blank();
    out.text(st.int64(10) != 0 ? label("yes") : "");
    out.text(st.text(11));
    out.text(st.text(12));
    out.end_row();
  }
}

// One table after another, in the order the dashboard shows them: long, but a list.
void write_stats(event const& e, event_stats const& s, table_sink& out, labeller const& label) {
  out.text(label("col.figure"));
  out.text(label("col.value"));
  out.end_row();
  auto figure = [&](std::string_view key, std::int64_t n) {
    out.text(label(key));
    out.number(static_cast<double>(n));
    out.end_row();
  };
  out.text(label("col.event"));
  out.text(e.title);
  out.end_row();
  out.text(label("col.starts_at"));
  out.time(e.starts_at);
  out.end_row();
  figure("stat.registered", s.registered);
  figure("stat.confirmed", s.confirmed);
  figure("stat.waitlisted", s.waitlisted);
  figure("stat.cancelled", s.cancelled);
  figure("stat.checked_in", s.checked_in);
  figure("stat.inside", s.inside);
  figure("stat.no_shows", s.no_shows);
  figure("stat.offline_conflicts", s.offline_conflicts);
  out.text(label("stat.no_show_rate"));
  out.percent(s.no_show_rate);
  out.end_row();

  if (!s.by_session.empty()) {
    out.end_row();
    for (auto key : {"col.session", "col.capacity", "stat.confirmed", "stat.waitlisted", "stat.present",
                     "stat.checked_in_session"})
      out.text(label(key));
    out.end_row();
    for (auto const& r : s.by_session) {
      out.text(r.title);
      if (r.capacity) out.number(static_cast<double>(*r.capacity));
      else out.blank();
      for (auto n : {r.confirmed, r.waitlisted, r.present, r.checked_in}) out.number(static_cast<double>(n));
      out.end_row();
    }
  }

  out.end_row();
  for (auto key : {"col.organisation_type", "stat.confirmed", "stat.waitlisted", "stat.cancelled", "stat.checked_in"})
    out.text(label(key));
  out.end_row();
  for (auto const& r : s.by_organisation_type) {
    out.text(r.type.empty() ? label("organisation_type.none") : label("organisation_type." + r.type));
    for (auto n : {r.confirmed, r.waitlisted, r.cancelled, r.checked_in}) out.number(static_cast<double>(n));
    out.end_row();
  }

  out.end_row();
  out.text(label("col.arrival_interval"));
  out.text(label("stat.arrivals"));
  out.end_row();
  for (auto const& b : s.arrivals) {
    out.time(b.at);
    out.number(static_cast<double>(b.count));
    out.end_row();
  }

  if (!s.by_device.empty()) {
    out.end_row();
    out.text(label("col.device"));
    out.text(label("stat.admitted"));
    out.end_row();
    for (auto const& d : s.by_device) {
      out.text(d.name);
      out.number(static_cast<double>(d.admitted));
      out.end_row();
    }
  }
}

void write_attendees_json(database& db, event const& e, std::FILE* out, attendee_filter const& only) {
  auto head = json::serialize(json::object{{"slug", e.slug},
                                           {"title", e.title},
                                           {"starts_at", to_iso8601(e.starts_at, e.timezone)},
                                           {"ends_at", to_iso8601(e.ends_at, e.timezone)},
                                           {"timezone", e.timezone}});
  std::fprintf(out, R"({"event":%s,"attendees":[)", head.c_str());
  bool first = true;
  wall_clock clock(e.timezone);
  each_attendee(db, e, true, only, [&](attendee_line const& a) {
    auto o = registration_to_json(a.reg);
    o["registered_at"] = clock.iso8601(a.reg.created_at);
    o["checked_in_at"] = a.first_at ? json::value(clock.iso8601(*a.first_at)) : json::value(nullptr);
    o["inside"] = a.inside;
    o["anonymised"] = a.anonymised;
    o["checkins"] = a.checkins;
    auto text = json::serialize(o);
    if (!first) std::fputc(',', out);
    first = false;
    std::fwrite(text.data(), 1, text.size(), out);
  });
  std::fputs("]}\n", out);
}

}  // namespace einlass::checkin
