#include "checkin/ics.hpp"

#include "checkin/text.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cstdio>

namespace einlass::checkin {

namespace {

std::string stamp(date::local_seconds t) { return date::format("%Y%m%dT%H%M%S", t); }

std::string offset_text(std::chrono::seconds off) {
  auto m = std::chrono::duration_cast<std::chrono::minutes>(off).count();
  char buf[8];
  std::snprintf(buf, sizeof buf, "%c%02d%02d", m < 0 ? '-' : '+', static_cast<int>(std::abs(m) / 60),
                static_cast<int>(std::abs(m) % 60));
  return buf;
}

// Content lines of at most 75 octets, continued with CRLF and a space, never inside a UTF-8 sequence.
void line(std::string& out, std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = utf8_length(c);
    if (width + len > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(text.substr(i, len));
    width += len;
    i += len - 1;
  }
  out += "\r\n";
}

// The zone's observances around the events: the one in force at the first start, each up to
// the last start (a series over months crosses summer time), the one before (where the first
// comes from), and the next (in case an event or a calendar crosses it).
void vtimezone(std::string& out, std::string const& zone, sys_seconds at, sys_seconds last) {
  date::time_zone const* z = nullptr;
  try {
    z = date::locate_zone(zone);
  } catch (std::exception const&) {
    return;
  }
  line(out, "BEGIN:VTIMEZONE");
  line(out, "TZID:" + zone);
  auto now = z->get_info(at);
  std::vector<date::sys_info> seen;
  auto prev = z->get_info(now.begin - std::chrono::seconds(1));
  seen.push_back(now);
  auto far = date::sys_seconds::max() - std::chrono::hours(24 * 366);
  while (seen.back().end < far && seen.back().end <= last && seen.size() < 64)
    seen.push_back(z->get_info(seen.back().end));
  if (seen.back().end < far) seen.push_back(z->get_info(seen.back().end));
  auto before = prev;
  for (auto const& info : seen) {
    bool first_known = info.begin > date::sys_seconds{} - std::chrono::hours(24 * 365 * 200);
    auto from = first_known ? before.offset : info.offset;
    auto begin = first_known ? info.begin : date::sys_seconds{};
    line(out, info.save == std::chrono::minutes(0) ? "BEGIN:STANDARD" : "BEGIN:DAYLIGHT");
    line(out, "DTSTART:" + stamp(date::local_seconds{begin.time_since_epoch() + from}));
    line(out, "TZOFFSETFROM:" + offset_text(from));
    line(out, "TZOFFSETTO:" + offset_text(info.offset));
    if (!info.abbrev.empty() && info.abbrev[0] != '+' && info.abbrev[0] != '-') line(out, "TZNAME:" + info.abbrev);
    line(out, info.save == std::chrono::minutes(0) ? "END:STANDARD" : "END:DAYLIGHT");
    before = info;
  }
  line(out, "END:VTIMEZONE");
}

std::string local_stamp(sys_seconds t, std::string const& zone) {
  auto l = to_local(t, zone);
  char buf[20];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d", l.year, l.month, l.day, l.hour, l.minute, l.second);
  return buf;
}

}  // namespace

std::string ics_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

namespace {

void vevent(std::string& out, event const& e, calendar_entry const& entry) {
  auto lang = entry.lang.empty() ? std::string_view(e.language) : std::string_view(entry.lang);
  line(out, "BEGIN:VEVENT");
  line(out, "UID:" + entry.uid);
  line(out, "DTSTAMP:" + date::format("%Y%m%dT%H%M%SZ", entry.stamp));
  line(out, "DTSTART;TZID=" + e.timezone + ":" + local_stamp(e.starts_at, e.timezone));
  line(out, "DTEND;TZID=" + e.timezone + ":" + local_stamp(e.ends_at, e.timezone));
  auto title = e.text(text_field::title, lang);
  line(out, "SUMMARY;LANGUAGE=" + std::string(title.lang) + ":" + ics_escape(title.text));
  auto venue = e.text(text_field::venue, lang);
  std::string where(venue.text);
  for (auto part = e.text(text_field::address, lang).text; !part.empty();) {
    auto nl = part.find('\n');
    auto piece = part.substr(0, nl);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    if (!piece.empty()) where += (where.empty() ? "" : ", ") + std::string(piece);
    part = nl == std::string_view::npos ? std::string_view() : part.substr(nl + 1);
  }
  if (!where.empty()) line(out, "LOCATION:" + ics_escape(where));
  if (!entry.description.empty()) line(out, "DESCRIPTION:" + ics_escape(entry.description));
  if (!entry.url.empty()) line(out, "URL:" + entry.url);
  line(out, e.status == "cancelled" ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  line(out, "END:VEVENT");
}

void calendar_head(std::string& out) {
  line(out, "BEGIN:VCALENDAR");
  line(out, "VERSION:2.0");
  line(out, "PRODID:-//Einlass//Einlass//DE");
  line(out, "CALSCALE:GREGORIAN");
  line(out, "METHOD:PUBLISH");
}

}  // namespace

std::string event_ics(event const& e, calendar_entry const& entry) {
  std::string out;
  calendar_head(out);
  vtimezone(out, e.timezone, e.starts_at, e.starts_at);
  vevent(out, e, entry);
  line(out, "END:VCALENDAR");
  return out;
}

std::string events_ics(std::vector<calendar_item> const& items, std::string_view name) {
  std::string out;
  calendar_head(out);
  line(out, "X-WR-CALNAME:" + ics_escape(name));
  std::vector<std::string> zones;  // one VTIMEZONE per zone, spanning its events
  for (auto const& it : items) {
    if (std::find(zones.begin(), zones.end(), it.e->timezone) != zones.end()) continue;
    zones.push_back(it.e->timezone);
    auto first = it.e->starts_at, last = it.e->starts_at;
    for (auto const& other : items)
      if (other.e->timezone == it.e->timezone) {
        first = std::min(first, other.e->starts_at);
        last = std::max(last, other.e->starts_at);
      }
    vtimezone(out, it.e->timezone, first, last);
  }
  for (auto const& it : items) vevent(out, *it.e, it.entry);
  line(out, "END:VCALENDAR");
  return out;
}

}  // namespace einlass::checkin
