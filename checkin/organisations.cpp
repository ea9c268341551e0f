#include "checkin/organisations.hpp"

#include "checkin/paperwork.hpp"

#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

bool known(auto const& names, std::string_view key) {
  return std::find(names.begin(), names.end(), key) != names.end();
}

std::string details_json(organisation const& o) {
  json::object d;
  for (auto const& [k, v] : o.details) d[k] = v;
  return json::serialize(d);
}

std::string texts_json(organisation const& o) {
  json::object t;
  for (auto const& [which, by_lang] : o.texts) {
    json::object l;
    for (auto const& [lang, text] : by_lang) l[lang] = text;
    t[which] = std::move(l);
  }
  return json::serialize(t);
}

void read_details(json::value const& v, organisation& o, std::vector<field_error>& errors) {
  if (!v.is_object()) return errors.push_back({"details", "invalid_type"});
  for (auto const& [k, value] : v.get_object()) {
    std::string path = "details." + std::string(k);
    if (!known(organisation_details, k)) {
      errors.push_back({path, "unknown_field"});
      continue;
    }
    if (!value.is_string() && !value.is_null()) {
      errors.push_back({path, "invalid_type"});
      continue;
    }
    std::string s(value.is_null() ? std::string_view{} : trim(value.get_string()));
    bool lines = k == "address" || k == "authority" || k == "dpo";
    if (auto r = check_text(s, lines ? 500 : 300, lines); !r.empty()) errors.push_back({path, r});
    else if (s.empty()) o.details.erase(std::string(k));
    else o.details[std::string(k)] = std::move(s);
  }
}

void read_texts(json::value const& v, organisation& o, std::vector<field_error>& errors) {
  if (!v.is_object()) return errors.push_back({"texts", "invalid_type"});
  for (auto const& [which, langs] : v.get_object()) {
    std::string path = "texts." + std::string(which);
    if (!known(organisation_texts, which)) {
      errors.push_back({path, "unknown_field"});
      continue;
    }
    if (!langs.is_object()) {
      errors.push_back({path, "invalid_type"});
      continue;
    }
    auto& slot = o.texts[std::string(which)];
    for (auto const& [lang, text] : langs.get_object()) {
      std::string lpath = path + "." + std::string(lang);
      if (!is_text_language(lang)) errors.push_back({lpath, "unknown_language"});
      else if (!text.is_string() && !text.is_null()) errors.push_back({lpath, "invalid_type"});
      else {
        std::string s(text.is_null() ? std::string_view{} : trim(text.get_string()));
        if (auto r = check_text(s, which == "about" ? 500 : 5000, true); !r.empty()) errors.push_back({lpath, r});
        else if (s.empty()) slot.erase(std::string(lang));
        else slot[std::string(lang)] = std::move(s);
      }
    }
    if (slot.empty()) o.texts.erase(std::string(which));
  }
}

organisation load(statement& st) {
  organisation o;
  o.id = st.int64(0);
  o.slug = st.text(1);
  o.name = st.text(2);
  auto details = json::parse(st.text(3));
  for (auto const& [k, v] : details.as_object())
    if (v.is_string()) o.details[std::string(k)] = std::string(v.get_string());
  auto texts = json::parse(st.text(4));
  for (auto const& [which, langs] : texts.as_object())
    if (langs.is_object())
      for (auto const& [lang, text] : langs.get_object())
        if (text.is_string()) o.texts[std::string(which)][std::string(lang)] = std::string(text.get_string());
  o.privacy_version = st.int64(5);
  o.logo_type = st.optional_text(6).value_or("");
  return o;
}

constexpr std::string_view columns =
    "SELECT id, slug, name, details, texts, privacy_version, logo_type FROM organisations ";

template <class Key>
std::optional<organisation> find_by(database& db, std::string const& where, Key key) {
  auto st = db.cached(std::string(columns) + where);
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return load(st);
}

// What the privacy notice says, besides the templates: a change to it makes a new version.
bool notice_changed(organisation const& a, organisation const& b) {
  auto privacy = [](organisation const& o) {
    auto it = o.texts.find(std::string_view("privacy"));
    return it == o.texts.end() ? std::map<std::string, std::string, std::less<>>{} : it->second;
  };
  for (auto key : {"legal_name", "address", "email", "phone", "dpo", "authority"})
    if (a.detail(key) != b.detail(key)) return true;
  return a.name != b.name || privacy(a) != privacy(b);
}

}  // namespace

std::string_view organisation::detail(std::string_view key) const {
  auto it = details.find(key);
  return it == details.end() ? std::string_view{} : std::string_view(it->second);
}

shown organisation::text(std::string_view which, std::string_view reader) const {
  auto it = texts.find(which);
  if (it == texts.end() || it->second.empty()) return {{}, reader};
  for (auto lang : {reader, std::string_view("de")})
    if (auto t = it->second.find(lang); t != it->second.end()) return {t->second, t->first};
  auto const& [lang, text] = *it->second.begin();
  return {text, lang};
}

std::string organisation::consent_version() const { return slug + "/" + std::to_string(privacy_version); }

outcome<organisation> organisation_from_json(json::value const& v, organisation base) {
  if (!v.is_object()) return fail(errc::invalid_field, "body", "invalid_type");
  auto const& o = v.get_object();
  std::vector<field_error> errors;
  auto text = [&](std::string_view key, std::string& into, std::size_t max) {
    auto const* f = o.if_contains(key);
    if (!f) return;
    if (!f->is_string()) return errors.push_back({std::string(key), "invalid_type"});
    std::string s(trim(f->get_string()));
    if (auto r = check_text(s, max); !r.empty()) errors.push_back({std::string(key), r});
    into = std::move(s);
  };
  text("slug", base.slug, 64);
  text("name", base.name, 200);
  if (base.slug.empty()) errors.push_back({"slug", "required"});
  else if (!is_valid_slug(base.slug)) errors.push_back({"slug", "invalid_slug"});
  if (base.name.empty()) errors.push_back({"name", "required"});
  if (auto const* d = o.if_contains("details")) read_details(*d, base, errors);
  if (auto const* t = o.if_contains("texts")) read_texts(*t, base, errors);
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  return base;
}

json::object organisation_to_json(organisation const& o, bool full) {
  json::object out{{"slug", o.slug}, {"name", o.name}};
  json::object details;
  for (auto const& [k, v] : o.details) details[k] = v;
  out["details"] = std::move(details);
  out["texts"] = json::parse(texts_json(o));
  out["logo"] = o.logo_type.empty() ? json::value(nullptr) : json::value("/o/" + o.slug + "/logo");
  out["privacy_version"] = o.privacy_version;
  out["links"] = json::object{{"page", "/o/" + o.slug},
                              {"imprint", "/o/" + o.slug + "/imprint"},
                              {"privacy", "/o/" + o.slug + "/privacy"},
                              {"events_ics", "/o/" + o.slug + "/events.ics"}};
  if (full) out["id"] = o.id;
  return out;
}

outcome<organisation> create_organisation(database& db, organisation o, sys_seconds at) {
  if (db.exists("SELECT 1 FROM organisations WHERE slug = ?1", o.slug))
    return fail(errc::slug_taken, "slug", "slug_taken");
  auto st = db.cached(
      "INSERT INTO organisations (slug, name, details, texts, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
  st.bind_all(o.slug, o.name, details_json(o), texts_json(o), to_utc_text(at));
  o.id = inserted_id(st);
  o.privacy_version = 1;
  return o;
}

organisation update_organisation(database& db, organisation const& current, organisation next) {
  next.id = current.id;
  next.slug = current.slug;  // links printed and consents stored name it: it stays
  next.privacy_version = current.privacy_version + (notice_changed(current, next) ? 1 : 0);
  next.logo_type = current.logo_type;
  db.run("UPDATE organisations SET name = ?2, details = ?3, texts = ?4, privacy_version = ?5 WHERE id = ?1", next.id,
         next.name, details_json(next), texts_json(next), next.privacy_version);
  return next;
}

std::optional<organisation> find_organisation(database& db, std::string_view slug) {
  return find_by(db, "WHERE slug = ?1", slug);
}

std::optional<organisation> find_organisation(database& db, std::int64_t id) {
  return find_by(db, "WHERE id = ?1", id);
}

std::vector<organisation> list_organisations(database& db, bool all, std::int64_t user_id) {
  auto st = db.cached(std::string(columns) +
                      "WHERE ?1 <> 0 OR id IN (SELECT organisation_id FROM organisation_members WHERE user_id = ?2) "
                      "ORDER BY name");
  st.bind_all(all, user_id);
  std::vector<organisation> out;
  while (st.step()) out.push_back(load(st));
  return out;
}

bool is_member(database& db, std::int64_t organisation_id, std::int64_t user_id) {
  return db.exists("SELECT 1 FROM organisation_members WHERE organisation_id = ?1 AND user_id = ?2", organisation_id,
                   user_id);
}

bool add_member(database& db, std::int64_t organisation_id, std::int64_t user_id) {
  if (is_member(db, organisation_id, user_id)) return false;
  db.run("INSERT INTO organisation_members (organisation_id, user_id) VALUES (?1, ?2)", organisation_id, user_id);
  return true;
}

bool remove_member(database& db, std::int64_t organisation_id, std::int64_t user_id) {
  if (!is_member(db, organisation_id, user_id)) return false;
  db.run("DELETE FROM organisation_members WHERE organisation_id = ?1 AND user_id = ?2", organisation_id, user_id);
  return true;
}

std::vector<member> organisation_members(database& db, std::int64_t organisation_id) {
  auto st = db.cached(
      "SELECT u.id, u.email FROM organisation_members m JOIN users u ON u.id = m.user_id "
      "WHERE m.organisation_id = ?1 ORDER BY u.email");
  st.bind(1, organisation_id);
  std::vector<member> out;
  while (st.step()) out.push_back({st.int64(0), st.text(1)});
  return out;
}

outcome<bool> set_logo(database& db, std::int64_t organisation_id, std::string_view type, std::string const& bytes) {
  if (bytes.empty()) {
    db.run("UPDATE organisations SET logo = NULL, logo_type = NULL WHERE id = ?1", organisation_id);
    return true;
  }
  if (bytes.size() > max_logo_bytes) return fail(errc::invalid_field, "logo", "too_large");
  if (!is_image(type, bytes)) return fail(errc::invalid_field, "logo", "invalid_image");
  auto st = db.cached("UPDATE organisations SET logo = ?2, logo_type = ?3 WHERE id = ?1");
  st.bind(1, organisation_id);
  st.bind_blob(2, bytes.data(), bytes.size());
  st.bind(3, type);
  st.run();
  return true;
}

std::optional<uploaded_image> organisation_logo(database& db, std::string_view slug) {
  auto st = db.cached("SELECT logo_type, logo FROM organisations WHERE slug = ?1 AND logo IS NOT NULL");
  st.bind(1, slug);
  if (!st.step()) return std::nullopt;
  return uploaded_image{st.text(0), st.blob(1)};
}

std::optional<organisation> organisation_of(database& db, event const& e) {
  if (e.organisation.empty()) return std::nullopt;
  return find_organisation(db, e.organisation);
}

std::string consent_version_of(database& db, event const& e) {
  auto org = organisation_of(db, e);
  return org ? org->consent_version() : std::string(privacy_notice_version);
}

std::vector<event> upcoming_events_of(database& db, std::int64_t organisation_id, sys_seconds at, int limit) {
  std::vector<std::int64_t> ids;
  {
    auto st = db.cached(
        "SELECT id FROM events WHERE organisation_id = ?1 AND status = 'published' AND ends_at >= ?2 "
        "ORDER BY starts_at LIMIT ?3");
    st.bind_all(organisation_id, to_utc_text(at), limit);
    while (st.step()) ids.push_back(st.int64(0));
  }
  std::vector<event> out;
  for (auto id : ids)
    if (auto e = find_event(db, id)) out.push_back(std::move(*e));
  return out;
}

}  // namespace einlass::checkin
