#include "server/app/i18n.hpp"

#include "checkin/embedded.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace einlass::server {

namespace detail::web {
std::span<const embedded_file> files();
}

namespace {

// The embedded catalogues web/i18n/{prefix}{lang}.json for each language.
template <class Languages>
catalog embedded_catalog(std::string const& prefix, Languages const& languages) {
  std::unordered_map<std::string, std::string> raw;
  for (auto lang : languages) {
    auto name = "i18n/" + prefix + std::string(lang) + ".json";
    auto f = find_embedded(detail::web::files(), name);
    if (!f) throw std::logic_error("missing catalogue " + name);
    raw.emplace(lang, std::string(*f));
  }
  return catalog(raw);
}

}  // namespace

catalog const& catalog::builtin() {
  static catalog const c = embedded_catalog("", supported_languages);
  return c;
}

catalog const& catalog::workspace() {
  static catalog const c = embedded_catalog("admin.", workspace_languages);
  return c;
}

std::string workspace_language(request const& req) {
  auto lang = pick_language(req);
  return lang == "de" ? lang : "en";
}

catalog::catalog(std::unordered_map<std::string, std::string> const& json_by_language) : raw_(json_by_language) {
  for (auto const& [lang, text] : json_by_language) {
    auto& table = texts_[lang];
    auto parsed = boost::json::parse(text);
    for (auto const& [k, v] : parsed.as_object()) table.emplace(k, v.as_string());
  }
}

std::string_view catalog::text(std::string_view lang, std::string_view key) const {
  for (auto l : {lang, default_language}) {
    auto t = texts_.find(std::string(l));
    if (t == texts_.end()) continue;
    auto it = t->second.find(std::string(key));
    if (it != t->second.end()) return it->second;
  }
  return key;
}

bool catalog::has(std::string_view lang, std::string_view key) const {
  auto t = texts_.find(std::string(lang));
  return t != texts_.end() && t->second.contains(std::string(key));
}

std::vector<std::string> catalog::keys(std::string_view lang) const {
  std::vector<std::string> out;
  if (auto t = texts_.find(std::string(lang)); t != texts_.end())
    for (auto const& [k, v] : t->second) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

std::string_view catalog::json(std::string_view lang) const {
  auto it = raw_.find(std::string(lang));
  return it == raw_.end() ? std::string_view("{}") : std::string_view(it->second);
}

std::string catalog::format(std::string_view lang, std::string_view key, placeholders values) const {
  std::string_view t = text(lang, key);
  std::string out;
  out.reserve(t.size() + 16);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{') {
      auto close = t.find('}', i);
      if (close != std::string_view::npos) {
        auto name = t.substr(i + 1, close - i - 1);
        auto v = std::find_if(values.begin(), values.end(), [&](auto const& p) { return p.first == name; });
        if (v != values.end()) {
          out += v->second;
          i = close;
          continue;
        }
      }
    }
    out += t[i];
  }
  return out;
}

std::string catalog::plural(std::string_view lang, std::string_view key, std::int64_t n) const {
  std::string k(key);
  k += (n == 1 && has(lang, k + ".one")) ? ".one" : ".other";
  auto num = format_number(lang, n);
  return format(lang, k, {{"n", num}});
}

std::string catalog::format_number(std::string_view lang, std::int64_t n) const {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string_view sep = text(lang, "format.decimal_group");
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string catalog::format_date(std::string_view lang, checkin::sys_seconds t, std::string_view zone) const {
  auto p = checkin::to_local(t, zone);
  auto day = std::to_string(p.day), year = std::to_string(p.year);
  auto month = std::string(text(lang, "month." + std::to_string(p.month)));
  auto weekday = std::string(text(lang, "weekday." + std::to_string(p.weekday)));
  return format(lang, "format.date", {{"weekday", weekday}, {"day", day}, {"month", month}, {"year", year}});
}

std::string catalog::format_time(std::string_view lang, checkin::sys_seconds t, std::string_view zone) const {
  auto p = checkin::to_local(t, zone);
  char hour[4], minute[4];
  std::snprintf(hour, sizeof hour, "%02d", p.hour);
  std::snprintf(minute, sizeof minute, "%02d", p.minute);
  return format(lang, "format.time", {{"hour", hour}, {"minute", minute}});
}

std::string catalog::format_range(std::string_view lang, checkin::sys_seconds start, checkin::sys_seconds end,
                                  std::string_view zone) const {
  auto at = [&](checkin::sys_seconds t) {
    return format(lang, "format.datetime",
                  {{"date", format_date(lang, t, zone)}, {"time", format_time(lang, t, zone)}});
  };
  auto same_day = format_date(lang, end, zone) == format_date(lang, start, zone);
  auto first = at(start);
  auto last = same_day ? format_time(lang, end, zone) : at(end);
  return format(lang, "format.range", {{"start", first}, {"end", last}});
}

bool is_supported_language(std::string_view lang) {
  return std::find(supported_languages.begin(), supported_languages.end(), lang) != supported_languages.end();
}

std::string pick_language(request const& req) {
  if (auto q = req.query_value("lang"); q && is_supported_language(*q)) return std::string(*q);
  if (auto c = req.cookie("lang"); c && is_supported_language(*c)) return std::string(*c);
  // Accept-Language: the first supported primary tag, in the order the browser lists them.
  std::string_view al = req.header("accept-language");
  while (!al.empty()) {
    auto comma = al.find(',');
    auto part = al.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    auto tag = part.substr(0, std::min(part.find_first_of("-;_"), part.size()));
    std::string lower(tag);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return char(std::tolower(c)); });
    if (is_supported_language(lower)) return lower;
    if (comma == std::string_view::npos) break;
    al.remove_prefix(comma + 1);
  }
  return std::string(default_language);
}

}  // namespace einlass::server
