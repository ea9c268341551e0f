#include "checkin/paperwork.hpp"

#include "checkin/mail_texts.hpp"
#include "checkin/text.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

// The first {name} in `text` that is no placeholder, or empty.
std::string unknown_placeholder(std::string_view text) {
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    auto close = text.find('}', open);
    if (close == std::string_view::npos) return std::string(text.substr(open));
    auto name = text.substr(open + 1, close - open - 1);
    if (std::find(certificate_placeholders.begin(), certificate_placeholders.end(), name) ==
        certificate_placeholders.end())
      return std::string(name);
  }
  return {};
}

}  // namespace

shown paperwork::text_for(std::string_view reader, std::string_view fallback) const {
  for (auto lang : {reader, fallback})
    if (auto t = certificate_text.find(lang); t != certificate_text.end()) return {t->second, t->first};
  return {{}, fallback};
}

json::object paperwork::certificate_json() const {
  json::object text;
  for (auto const& [lang, t] : certificate_text) text[lang] = t;
  return {{"enabled", certificates}, {"text", std::move(text)}, {"signer", signer}, {"signer_role", signer_role}};
}

std::string paperwork::to_text() const {
  auto o = certificate_json();
  o["feedback"] = feedback;
  return json::serialize(o);
}

paperwork paperwork::from_text(std::string_view stored) {
  std::vector<field_error> ignored;
  boost::system::error_code ec;
  auto v = json::parse(stored, ec);
  if (ec || !v.is_object()) return {};
  return read(&v, v.get_object().if_contains("feedback"), "de", ignored);
}

paperwork paperwork::read(json::value const* certificate, json::value const* feedback, std::string_view base_lang,
                          std::vector<field_error>& errors) {
  paperwork out;
  if (feedback && !feedback->is_null()) {
    if (feedback->is_bool()) out.feedback = feedback->get_bool();
    else errors.push_back({"feedback", "invalid_type"});
  }
  if (!certificate || certificate->is_null()) return out;
  if (!certificate->is_object()) {
    errors.push_back({"certificate", "invalid_type"});
    return out;
  }
  auto const& c = certificate->get_object();
  if (auto const* on = c.if_contains("enabled"); on && !on->is_null()) {
    if (on->is_bool()) out.certificates = on->get_bool();
    else errors.push_back({"certificate.enabled", "invalid_type"});
  }
  if (auto const* text = c.if_contains("text"); text && !text->is_null())
    read_languages(*text, base_lang, "certificate.text", 2000, errors, [&](std::string_view lang, std::string t) {
      if (auto bad = unknown_placeholder(t); !bad.empty())
        return errors.push_back({"certificate.text." + std::string(lang), "unknown_placeholder"});
      out.certificate_text[std::string(lang)] = std::move(t);
    });
  for (auto [key, target] : {std::pair{"signer", &out.signer}, std::pair{"signer_role", &out.signer_role}}) {
    auto const* v = c.if_contains(key);
    if (!v || v->is_null()) continue;
    std::string path = "certificate." + std::string(key);
    if (!v->is_string()) {
      errors.push_back({path, "invalid_type"});
      continue;
    }
    *target = std::string(trim(v->get_string()));
    if (auto r = check_text(*target, 200, false); !r.empty()) errors.push_back({path, r});
  }
  return out;
}

bool is_image(std::string_view type, std::string_view bytes) {
  if (type == "image/png") return bytes.starts_with("\x89PNG\r\n\x1a\n");
  return type == "image/svg+xml" && is_valid_utf8(bytes) && bytes.find("<svg") != std::string_view::npos;
}

outcome<bool> set_event_image(database& db, std::int64_t event_id, std::string_view name, std::string_view type,
                              std::string const& bytes) {
  if (std::find(event_image_names.begin(), event_image_names.end(), name) == event_image_names.end())
    return fail(errc::not_found);
  if (bytes.empty()) {
    db.cached("DELETE FROM event_images WHERE event_id = ?1 AND name = ?2").bind_all(event_id, name).run();
    return db.changes() > 0;
  }
  if (bytes.size() > max_image_bytes) return fail(errc::invalid_field, "image", "too_large");
  if (!is_image(type, bytes)) return fail(errc::invalid_field, "image", "invalid_image");
  auto st = db.cached(
      "INSERT INTO event_images (event_id, name, type, bytes) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (event_id, name) DO UPDATE SET type = excluded.type, bytes = excluded.bytes");
  st.bind_all(event_id, name, type);
  st.bind_blob(4, bytes.data(), bytes.size());
  st.run();
  return true;
}

std::optional<uploaded_image> event_image(database& db, std::int64_t event_id, std::string_view name) {
  auto st = db.cached("SELECT type, bytes FROM event_images WHERE event_id = ?1 AND name = ?2");
  st.bind_all(event_id, name);
  if (!st.step()) return std::nullopt;
  return uploaded_image{st.text(0), st.blob(1)};
}

std::vector<std::string> event_image_list(database& db, std::int64_t event_id) {
  auto st = db.cached("SELECT name FROM event_images WHERE event_id = ?1 ORDER BY name");
  st.bind(1, event_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.text(0));
  return out;
}

std::vector<std::string> funder_logos(database& db, std::int64_t event_id) {
  auto st = db.cached("SELECT bytes FROM event_images WHERE event_id = ?1 AND name LIKE 'funder-%' ORDER BY name");
  st.bind(1, event_id);
  std::vector<std::string> out;
  while (st.step()) out.push_back(st.blob(0));
  return out;
}

}  // namespace einlass::checkin
