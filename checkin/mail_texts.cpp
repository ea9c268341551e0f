#include "checkin/mail_texts.hpp"

#include "checkin/text.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

bool one_of(auto const& names, std::string_view v) { return std::find(names.begin(), names.end(), v) != names.end(); }

}  // namespace

void mail_texts::set(std::string_view kind, std::string_view part, std::string_view lang, std::string text) {
  if (!text.empty()) {
    texts_[std::string(kind)][std::string(part)][std::string(lang)] = std::move(text);
    return;
  }
  auto k = texts_.find(kind);
  if (k == texts_.end()) return;
  if (auto p = k->second.find(part); p != k->second.end()) {
    if (auto l = p->second.find(lang); l != p->second.end()) p->second.erase(l);
    if (p->second.empty()) k->second.erase(p);
  }
  if (k->second.empty()) texts_.erase(k);
}

shown mail_texts::get(std::string_view kind, std::string_view part, std::string_view reader,
                      std::string_view fallback) const {
  auto k = texts_.find(kind);
  if (k == texts_.end()) return {{}, fallback};
  auto p = k->second.find(part);
  if (p == k->second.end()) return {{}, fallback};
  for (auto lang : {reader, fallback})
    if (auto l = p->second.find(lang); l != p->second.end()) return {l->second, l->first};
  return {{}, fallback};
}

json::object mail_texts::to_json() const {
  json::object out;
  for (auto const& [kind, parts] : texts_) {
    json::object po;
    for (auto const& [part, langs] : parts) {
      json::object lo;
      for (auto const& [lang, text] : langs) lo[lang] = text;
      po[part] = std::move(lo);
    }
    out[kind] = std::move(po);
  }
  return out;
}

std::string mail_texts::to_text() const { return json::serialize(to_json()); }

mail_texts mail_texts::from_text(std::string_view stored) {
  std::vector<field_error> ignored;
  boost::system::error_code ec;
  auto v = json::parse(stored, ec);
  return ec ? mail_texts{} : read(v, "de", ignored);
}

void read_languages(json::value const& v, std::string_view base_lang, std::string const& path, std::size_t max_length,
                    std::vector<field_error>& errors,
                    std::function<void(std::string_view lang, std::string text)> const& put) {
  auto take = [&](std::string_view lang, json::value const& text) {
    std::string lpath = path + "." + std::string(lang);
    if (!is_text_language(lang)) return errors.push_back({lpath, "unknown_language"});
    if (text.is_null()) return;
    if (!text.is_string()) return errors.push_back({lpath, "invalid_type"});
    std::string s(trim(text.get_string()));
    if (auto r = check_text(s, max_length, true); !r.empty()) return errors.push_back({lpath, r});
    put(lang, std::move(s));
  };
  if (v.is_object())
    for (auto const& [lang, text] : v.get_object()) take(lang, text);
  else take(base_lang, v);
}

mail_texts mail_texts::read(json::value const& v, std::string_view base_lang, std::vector<field_error>& errors) {
  mail_texts out;
  if (v.is_null()) return out;
  if (!v.is_object()) {
    errors.push_back({"mail_texts", "invalid_type"});
    return out;
  }
  for (auto const& [kind, parts] : v.get_object()) {
    std::string path = "mail_texts." + std::string(kind);
    if (!one_of(guest_mail_kinds, kind) || !parts.is_object()) {
      errors.push_back({path, parts.is_object() ? "unknown_field" : "invalid_type"});
      continue;
    }
    for (auto const& [part, value] : parts.get_object()) {
      std::string ppath = path + "." + std::string(part);
      if (!one_of(mail_text_parts, part)) {
        errors.push_back({ppath, "unknown_field"});
        continue;
      }
      std::string_view kind_name = kind, part_name = part;  // a lambda cannot capture a binding in clang
      read_languages(value, base_lang, ppath, 2000, errors, [&](std::string_view lang, std::string text) {
        out.set(kind_name, part_name, lang, std::move(text));
      });
    }
  }
  return out;
}

}  // namespace einlass::checkin
