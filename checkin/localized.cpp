#include "checkin/localized.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

constexpr std::array<text_field, 6> all_fields{text_field::title,   text_field::description, text_field::venue,
                                               text_field::address, text_field::label,       text_field::options};

}  // namespace

bool is_text_language(std::string_view lang) {
  return std::find(text_languages.begin(), text_languages.end(), lang) != text_languages.end();
}

std::string_view direction_of(std::string_view lang) { return lang == "ar" ? "rtl" : "ltr"; }

std::string_view to_string(text_field f) {
  switch (f) {
    case text_field::title: return "title";
    case text_field::description: return "description";
    case text_field::venue: return "venue";
    case text_field::address: return "address";
    case text_field::label: return "label";
    case text_field::options: return "options";
  }
  return "title";
}

void translations::set(std::string_view lang, text_field field, std::string text) {
  if (text.empty()) {
    auto it = by_lang_.find(lang);
    if (it == by_lang_.end()) return;
    if (auto f = it->second.find(to_string(field)); f != it->second.end()) it->second.erase(f);
    if (it->second.empty()) by_lang_.erase(it);
    return;
  }
  by_lang_[std::string(lang)][std::string(to_string(field))] = std::move(text);
}

std::string_view translations::get(std::string_view lang, text_field field) const {
  auto it = by_lang_.find(lang);
  if (it == by_lang_.end()) return {};
  auto f = it->second.find(to_string(field));
  return f == it->second.end() ? std::string_view{} : std::string_view(f->second);
}

std::vector<std::string_view> translations::languages() const {
  std::vector<std::string_view> out;
  for (auto l : text_languages)
    if (by_lang_.contains(l)) out.push_back(l);
  return out;
}

std::string translations::to_json() const {
  json::object o;
  for (auto const& [lang, fields] : by_lang_) {
    json::object f;
    for (auto const& [k, v] : fields) f[k] = v;
    o[lang] = std::move(f);
  }
  return json::serialize(o);
}

translations translations::from_json(std::string_view stored) {
  translations t;
  boost::system::error_code ec;
  auto v = json::parse(stored, ec);
  if (ec || !v.is_object()) return t;
  for (auto const& [lang, fields] : v.get_object()) {
    if (!is_text_language(lang) || !fields.is_object()) continue;
    for (auto f : all_fields)
      if (auto const* s = fields.get_object().if_contains(to_string(f)); s && s->is_string())
        t.set(lang, f, std::string(s->get_string()));
  }
  return t;
}

shown in_language(std::string_view base, translations const& t, text_field field, std::string_view reader,
                  std::string_view fallback) {
  if (reader != fallback)
    if (auto s = t.get(reader, field); !s.empty()) return {s, reader};
  return {base, fallback};
}

shown_options options_in(std::vector<std::string> const& base, translations const& t, std::string_view reader,
                         std::string_view fallback) {
  if (reader == fallback) return {base, fallback};
  std::vector<std::string> lines;
  auto joined = t.get(reader, text_field::options);
  while (!joined.empty()) {
    auto nl = joined.find('\n');
    lines.emplace_back(joined.substr(0, nl));
    joined = nl == std::string_view::npos ? std::string_view{} : joined.substr(nl + 1);
  }
  if (lines.size() != base.size()) return {base, fallback};
  return {std::move(lines), reader};
}

std::optional<std::size_t> option_index(std::vector<std::string> const& base, translations const& t,
                                        std::string_view chosen) {
  for (auto lang : text_languages) {
    auto shown = options_in(base, t, lang, "");
    for (std::size_t i = 0; i < shown.options.size(); ++i)
      if (shown.options[i] == chosen) return i;
  }
  return std::nullopt;
}

}  // namespace einlass::checkin
