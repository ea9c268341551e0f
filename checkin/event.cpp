#include "checkin/event.hpp"

#include "checkin/crypto.hpp"
#include "checkin/text.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

std::optional<std::int64_t> session_info::seats_left() const {
  if (!capacity) return std::nullopt;
  return std::max<std::int64_t>(0, *capacity - confirmed);
}

field_mode event::mode_of(std::string_view field) const {
  auto it = fields.find(field);
  return it == fields.end() ? field_mode::off : it->second;
}

std::optional<std::int64_t> event::seats_left() const {
  if (!capacity) return std::nullopt;
  return std::max<std::int64_t>(0, *capacity - confirmed);
}

session_info const* event::find_session(std::int64_t sid) const {
  for (auto const& s : sessions)
    if (s.id == sid) return &s;
  return nullptr;
}

shown event::text(text_field f, std::string_view reader) const {
  std::string_view base = f == text_field::description ? description
                          : f == text_field::venue     ? venue
                          : f == text_field::address   ? address
                                                       : title;
  return in_language(base, texts, f, reader, language);
}

shown event::text(session_info const& s, text_field f, std::string_view reader) const {
  return in_language(f == text_field::description ? s.description : s.title, s.texts, f, reader, language);
}

shown event::label(question const& q, std::string_view reader) const {
  return in_language(q.label, q.texts, text_field::label, reader, language);
}

shown_options event::options(question const& q, std::string_view reader) const {
  return options_in(q.options, q.texts, reader, language);
}

std::vector<std::string_view> event::languages() const {
  std::vector<std::string_view> out;
  for (auto l : text_languages)
    if (l == language || !texts.get(l, text_field::title).empty()) out.push_back(l);
  return out;
}

event::window event::registration_window(sys_seconds at) const {
  if (registration_opens_at && at < *registration_opens_at) return window::not_yet_open;
  if (registration_closes_at && at >= *registration_closes_at) return window::closed;
  if (!registration_closes_at && at >= ends_at) return window::closed;
  return window::open;
}

std::string_view to_string(field_mode m) {
  switch (m) {
    case field_mode::off: return "off";
    case field_mode::optional: return "optional";
    case field_mode::required: return "required";
  }
  return "off";
}

namespace {

// Collects field errors while reading one JSON object.
class reader {
 public:
  reader(json::object const& o, std::string prefix, std::vector<field_error>& errors)
      : o_(o), prefix_(std::move(prefix)), errors_(errors) {}

  void error(std::string_view key, std::string reason) {
    errors_.push_back({prefix_ + std::string(key), std::move(reason)});
  }

  json::value const* get(std::string_view key) {
    auto const* v = o_.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
  }

  std::string text(std::string_view key, bool required, std::size_t max, bool multiline = false) {
    auto const* v = get(key);
    if (!v) {
      if (required) error(key, "required");
      return {};
    }
    if (!v->is_string()) {
      error(key, "invalid_type");
      return {};
    }
    std::string s(trim(v->get_string()));
    if (required && s.empty()) {
      error(key, "required");
      return {};
    }
    if (auto r = check_text(s, max, multiline); !r.empty()) error(key, r);
    return s;
  }

  // A participant-facing text: a string in the event's language `base_lang`, or an object of
  // languages ({"de": "…", "ar": "…"}) whose other entries go into `t`.
  std::string localized(std::string_view key, text_field f, bool required, std::size_t max, bool multiline,
                        std::string_view base_lang, translations& t) {
    auto const* v = get(key);
    if (!v || !v->is_object()) return text(key, required, max, multiline);
    std::string base;
    for (auto const& [lang, entry] : v->get_object()) {
      std::string path = std::string(key) + "." + std::string(lang);
      if (!is_text_language(lang)) {
        error(path, "unknown_language");
        continue;
      }
      if (entry.is_null()) continue;
      if (!entry.is_string()) {
        error(path, "invalid_type");
        continue;
      }
      std::string s(trim(entry.get_string()));
      if (auto r = check_text(s, max, multiline); !r.empty()) {
        error(path, r);
        continue;
      }
      if (lang == base_lang) base = std::move(s);
      else t.set(lang, f, std::move(s));
    }
    if (required && base.empty()) error(std::string(key) + "." + std::string(base_lang), "required");
    return base;
  }

  // A question's options: an array of strings, or an object of languages with one array each
  // (as many options as in the event's language, so each maps to the same stored answer).
  std::vector<std::string> options(std::string_view base_lang, translations& t) {
    auto const* v = get("options");
    if (!v) return {};
    auto lines = [&](json::value const& a, std::string const& path) -> std::optional<std::vector<std::string>> {
      if (!a.is_array()) {
        error(path, "invalid_type");
        return std::nullopt;
      }
      std::vector<std::string> out;
      for (auto const& o : a.get_array()) {
        if (!o.is_string() || trim(o.get_string()).empty() || !check_text(o.get_string(), 200).empty()) {
          error(path, "invalid_choice");
          return std::nullopt;
        }
        out.emplace_back(trim(o.get_string()));
      }
      return out;
    };
    if (!v->is_object()) return lines(*v, "options").value_or(std::vector<std::string>{});
    std::vector<std::string> base;
    if (auto const* b = v->get_object().if_contains(base_lang); b && !b->is_null())
      base = lines(*b, "options." + std::string(base_lang)).value_or(std::vector<std::string>{});
    for (auto const& [lang, entry] : v->get_object()) {
      std::string path = "options." + std::string(lang);
      if (!is_text_language(lang)) error(path, "unknown_language");
      if (!is_text_language(lang) || lang == base_lang || entry.is_null()) continue;
      auto other = lines(entry, path);
      if (!other || other->empty()) continue;
      if (other->size() != base.size()) {
        error(path, "options_count");
        continue;
      }
      std::string joined;
      for (auto const& o : *other) joined += (joined.empty() ? "" : "\n") + o;
      t.set(lang, text_field::options, std::move(joined));
    }
    return base;
  }

  std::optional<std::int64_t> count(std::string_view key) {
    auto const* v = get(key);
    if (!v) return std::nullopt;
    if (auto n = v->if_int64(); n && *n >= 0 && *n <= 1000000) return *n;
    if (auto u = v->if_uint64(); u && *u <= 1000000) return static_cast<std::int64_t>(*u);
    error(key, "invalid_number");
    return std::nullopt;
  }

  bool flag(std::string_view key, bool fallback) {
    auto const* v = get(key);
    if (!v) return fallback;
    if (!v->is_bool()) {
      error(key, "invalid_type");
      return fallback;
    }
    return v->get_bool();
  }

  std::optional<sys_seconds> time(std::string_view key, std::string const& zone, bool required) {
    auto const* v = get(key);
    if (!v) {
      if (required) error(key, "required");
      return std::nullopt;
    }
    std::optional<sys_seconds> t;
    if (v->is_string()) t = parse_iso8601(v->get_string(), zone);
    if (!t) error(key, "invalid_time");
    return t;
  }

 private:
  json::object const& o_;
  std::string prefix_;
  std::vector<field_error>& errors_;
};

}  // namespace

namespace {

// The event's own fields: names, times in its zone, venue, seats, windows, status.
void read_event_fields(reader& r, event& e) {
  e.slug = r.text("slug", true, 64);
  if (!e.slug.empty() && !is_valid_slug(e.slug)) r.error("slug", "invalid_slug");
  if (auto const* l = r.get("language")) {
    e.language = l->is_string() ? std::string(l->get_string()) : "";
    if (!is_text_language(e.language)) {
      r.error("language", "invalid_choice");
      e.language = "de";
    }
  }
  e.title = r.localized("title", text_field::title, true, 200, false, e.language, e.texts);
  e.description = r.localized("description", text_field::description, false, 10000, true, e.language, e.texts);
  if (auto const* tz = r.get("timezone")) {
    e.timezone = tz->is_string() ? std::string(tz->get_string()) : "";
    if (!is_known_timezone(e.timezone)) {
      r.error("timezone", "invalid_timezone");
      e.timezone = "Europe/Berlin";
    }
  }
  auto starts = r.time("starts_at", e.timezone, true);
  auto ends = r.time("ends_at", e.timezone, true);
  if (starts && ends && *ends < *starts) r.error("ends_at", "ends_before_start");
  if (starts) e.starts_at = *starts;
  if (ends) e.ends_at = *ends;
  e.venue = r.localized("venue", text_field::venue, false, 200, false, e.language, e.texts);
  e.address = r.localized("address", text_field::address, false, 500, true, e.language, e.texts);
  e.capacity = r.count("capacity");
  e.waitlist = r.flag("waitlist", false);
  e.retention_days = r.count("retention_days");
  e.opt_in_hours = r.count("opt_in_hours");
  if (e.opt_in_hours && (*e.opt_in_hours < 1 || *e.opt_in_hours > 24LL * 30)) r.error("opt_in_hours", "invalid_number");
  e.reminder_days = r.count("reminder_days");
  if (e.reminder_days && *e.reminder_days > 60) r.error("reminder_days", "invalid_number");
  e.thank_you = r.flag("thank_you", false);
  e.registration_opens_at = r.time("registration_opens_at", e.timezone, false);
  e.registration_closes_at = r.time("registration_closes_at", e.timezone, false);
  if (e.registration_opens_at && e.registration_closes_at && *e.registration_closes_at <= *e.registration_opens_at)
    r.error("registration_closes_at", "ends_before_start");
  if (auto const* org = r.get("organisation")) {
    e.organisation = org->is_string() ? std::string(org->get_string()) : "";
    if (!is_valid_slug(e.organisation)) r.error("organisation", "unknown_organisation");
  }
  if (auto const* st = r.get("status")) {
    e.status = st->is_string() ? std::string(st->get_string()) : "";
    if (e.status != "draft" && e.status != "published") {
      r.error("status", "invalid_choice");
      e.status = "published";
    }
  }
}

// Which standard fields the form asks: organisation and its type by default.
void read_field_modes(reader& r, std::vector<field_error>& errors, event& e) {
  e.fields = {{"organisation", field_mode::required},
              {"organisation_type", field_mode::required},
              {"position", field_mode::off},
              {"phone", field_mode::off}};
  if (auto const* f = r.get("fields")) {
    if (!f->is_object()) r.error("fields", "invalid_type");
    else
      for (auto const& [k, mode] : f->get_object()) {
        std::string path = "fields." + std::string(k);
        auto it = e.fields.find(std::string_view(k));
        if (it == e.fields.end()) {
          errors.push_back({path, "unknown_field"});
          continue;
        }
        if (mode == "off") it->second = field_mode::off;
        else if (mode == "optional") it->second = field_mode::optional;
        else if (mode == "required") it->second = field_mode::required;
        else errors.push_back({path, "invalid_choice"});
      }
  }
}

void read_sessions(reader& r, std::vector<field_error>& errors, event& e) {
  if (auto const* ss = r.get("sessions")) {
    if (!ss->is_array()) r.error("sessions", "invalid_type");
    else
      for (std::size_t i = 0; i < ss->get_array().size(); ++i) {
        auto const& sv = ss->get_array()[i];
        std::string prefix = "sessions[" + std::to_string(i) + "].";
        if (!sv.is_object()) {
          errors.push_back({prefix.substr(0, prefix.size() - 1), "invalid_type"});
          continue;
        }
        reader sr(sv.get_object(), prefix, errors);
        session_info s;
        if (auto const* id = sv.get_object().if_contains("id"); id && !id->is_null()) {
          if (id->is_int64() && id->get_int64() > 0) s.id = id->get_int64();
          else sr.error("id", "unknown_session");
        }
        s.title = sr.localized("title", text_field::title, true, 200, false, e.language, s.texts);
        s.description = sr.localized("description", text_field::description, false, 2000, true, e.language, s.texts);
        s.capacity = sr.count("capacity");
        s.starts_at = sr.time("starts_at", e.timezone, false);
        s.ends_at = sr.time("ends_at", e.timezone, false);
        e.sessions.push_back(std::move(s));
      }
  }
}

question read_question(reader& qr, json::object const& qo, std::string_view lang) {
  question q;
  if (auto const* key = qo.if_contains("key"); key && !key->is_null()) {
    q.key = key->is_string() ? std::string(key->get_string()) : "";
    if (q.key.size() < 2 || q.key.size() > 8 || q.key[0] != 'q' ||
        !std::all_of(q.key.begin() + 1, q.key.end(), [](char c) { return c >= '0' && c <= '9'; }))
      qr.error("key", "invalid_choice");
  }
  q.label = qr.localized("label", text_field::label, true, 500, false, lang, q.texts);
  q.kind = qr.text("kind", true, 20);
  if (!q.kind.empty() && std::find(question_kinds.begin(), question_kinds.end(), q.kind) == question_kinds.end())
    qr.error("kind", "invalid_choice");
  q.required = qr.flag("required", false);
  q.options = qr.options(lang, q.texts);
  if ((q.kind == "single" || q.kind == "multiple") && q.options.empty()) qr.error("options", "required");
  return q;
}

void read_questions(reader& r, std::vector<field_error>& errors, event& e) {
  if (auto const* qs = r.get("questions")) {
    if (!qs->is_array()) r.error("questions", "invalid_type");
    else
      for (std::size_t i = 0; i < qs->get_array().size(); ++i) {
        auto const& qv = qs->get_array()[i];
        std::string prefix = "questions[" + std::to_string(i) + "].";
        if (!qv.is_object()) {
          errors.push_back({prefix.substr(0, prefix.size() - 1), "invalid_type"});
          continue;
        }
        reader qr(qv.get_object(), prefix, errors);
        e.questions.push_back(read_question(qr, qv.get_object(), e.language));
      }
  }
}

}  // namespace

outcome<event> event_from_json(json::value const& v) {
  if (!v.is_object()) return fail(errc::invalid_field, "body", "invalid_type");
  std::vector<field_error> errors;
  reader r(v.get_object(), "", errors);
  event e;
  read_event_fields(r, e);
  read_field_modes(r, errors, e);
  read_sessions(r, errors, e);
  read_questions(r, errors, e);
  if (auto const* m = r.get("mail_texts")) e.mail = mail_texts::read(*m, e.language, errors);
  e.papers = paperwork::read(r.get("certificate"), r.get("feedback"), e.language, errors);
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  return e;
}

}  // namespace einlass::checkin
