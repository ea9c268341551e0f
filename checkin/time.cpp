#include "checkin/time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <cstdio>

namespace einlass::checkin {

namespace {

date::time_zone const* find_zone(std::string_view zone) {
  try {
    return date::locate_zone(zone);
  } catch (std::exception const&) {
    return nullptr;
  }
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

sys_seconds now() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

std::string to_utc_text(sys_seconds t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }

std::optional<sys_seconds> parse_utc_text(std::string_view s) { return parse_iso8601(s, "UTC"); }

bool is_known_timezone(std::string_view zone) { return !zone.empty() && find_zone(zone) != nullptr; }

std::optional<sys_seconds> parse_iso8601(std::string_view s, std::string_view zone) {
  int y, mo, d, h, mi, sec = 0;
  if (!digits(s, 0, 4, y) || s.size() < 16 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' ||
      !digits(s, 14, 2, mi))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {  // fractions are dropped
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
  }
  auto ymd = date::year{y} / date::month{static_cast<unsigned>(mo)} / date::day{static_cast<unsigned>(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  auto wall = std::chrono::seconds(h * 3600 + mi * 60 + sec);
  auto days = date::sys_days(ymd).time_since_epoch();
  if (pos == s.size()) {
    auto const* z = find_zone(zone);
    if (!z) return std::nullopt;
    date::local_seconds local{days + wall};
    return z->to_sys(local, date::choose::earliest);
  }
  std::chrono::seconds offset{0};
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
    std::size_t mpos = pos + 3;
    if (mpos < s.size() && s[mpos] == ':') ++mpos;
    if (!digits(s, mpos, 2, om) || oh > 23 || om > 59) return std::nullopt;
    offset = std::chrono::seconds((oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1));
    pos = mpos + 2;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return sys_seconds{days + wall - offset};
}

wall_clock::wall_clock(std::string_view zone) : zone_(find_zone(zone)) {}

std::chrono::seconds wall_clock::offset_of(sys_seconds t) {
  if (!zone_) return std::chrono::seconds{0};
  if (t < begin_ || t >= end_) {
    auto info = static_cast<date::time_zone const*>(zone_)->get_info(t);
    begin_ = info.begin;
    end_ = info.end;
    offset_ = info.offset;
  }
  return offset_;
}

local_time_parts wall_clock::local(sys_seconds t) {
  auto local = t.time_since_epoch() + offset_of(t);
  auto days = std::chrono::floor<date::days>(local);
  date::year_month_day ymd{date::sys_days{days}};
  auto rest = (local - days).count();
  return {static_cast<int>(ymd.year()),
          static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day())),
          static_cast<int>(date::weekday{date::sys_days{days}}.c_encoding()),
          static_cast<int>(rest / 3600),
          static_cast<int>(rest / 60 % 60),
          static_cast<int>(rest % 60)};
}

std::string wall_clock::iso8601(sys_seconds t) {
  auto l = local(t);
  auto off = std::chrono::duration_cast<std::chrono::minutes>(offset_of(t)).count();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", l.year, l.month, l.day, l.hour, l.minute,
                l.second, off < 0 ? '-' : '+', static_cast<int>(std::abs(off) / 60),
                static_cast<int>(std::abs(off) % 60));
  return buf;
}

std::string to_iso8601(sys_seconds t, std::string_view zone) { return wall_clock(zone).iso8601(t); }

local_time_parts to_local(sys_seconds t, std::string_view zone) { return wall_clock(zone).local(t); }

}  // namespace einlass::checkin
