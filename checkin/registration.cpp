#include "checkin/registration.hpp"

#include "checkin/mail.hpp"

#include "checkin/crypto.hpp"
#include "checkin/fold.hpp"
#include "checkin/organisations.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "checkin/webhooks.hpp"

#include <array>
#include <boost/json.hpp>

#include <algorithm>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

bool contains(auto const& range, std::string_view v) { return std::find(range.begin(), range.end(), v) != range.end(); }

void check_field(std::vector<field_error>& errors, std::string_view name, std::string& value, field_mode mode,
                 std::size_t max) {
  value = std::string(trim(value));
  if (mode == field_mode::off) {
    value.clear();
    return;
  }
  if (value.empty()) {
    if (mode == field_mode::required) errors.push_back({std::string(name), "required"});
    return;
  }
  if (auto r = check_text(value, max); !r.empty()) errors.push_back({std::string(name), r});
}

// The stored answer for a chosen option (in whichever language it was shown).
std::optional<std::string> stored_option(question const& q, json::value const& given) {
  if (!given.is_string()) return std::nullopt;
  auto i = option_index(q.options, q.texts, given.get_string());
  return i ? std::optional(q.options[*i]) : std::nullopt;
}

void check_answers(std::vector<field_error>& errors, json::object& answers, event const& e) {
  json::object clean;
  for (auto const& q : e.questions) {
    std::string name = "answers." + q.key;
    auto const* a = answers.if_contains(q.key);
    bool given = false;
    if (q.kind == "text") {
      if (a && a->is_string()) {
        std::string s(trim(a->get_string()));
        if (auto r = check_text(s, 2000, true); !r.empty()) errors.push_back({name, r});
        else if (!s.empty()) {
          clean[q.key] = s;
          given = true;
        }
      } else if (a && !a->is_null()) errors.push_back({name, "invalid_type"});
    } else if (q.kind == "single") {
      if (a && a->is_string() && !a->get_string().empty()) {
        if (auto chosen = stored_option(q, *a); !chosen) errors.push_back({name, "invalid_choice"});
        else {
          clean[q.key] = *chosen;
          given = true;
        }
      } else if (a && !a->is_null() && !(a->is_string())) errors.push_back({name, "invalid_type"});
    } else if (q.kind == "multiple") {
      if (a && a->is_array()) {
        json::array picked;
        for (auto const& o : a->get_array()) {
          auto chosen = stored_option(q, o);
          if (!chosen) {
            errors.push_back({name, "invalid_choice"});
            picked.clear();
            break;
          }
          if (std::find(picked.begin(), picked.end(), json::value(*chosen)) == picked.end())
            picked.emplace_back(*chosen);
        }
        if (!picked.empty()) {
          clean[q.key] = std::move(picked);
          given = true;
        }
      } else if (a && !a->is_null()) errors.push_back({name, "invalid_type"});
    } else if (q.kind == "checkbox") {
      if (a && a->is_bool()) {
        clean[q.key] = a->get_bool();
        given = a->get_bool();
      } else if (a && !a->is_null()) errors.push_back({name, "invalid_type"});
    }
    bool already = std::any_of(errors.begin(), errors.end(), [&](auto const& f) { return f.field == name; });
    if (q.required && !given && !already) errors.push_back({name, "required"});
  }
  answers = std::move(clean);
}

bool overlap(session_info const& a, session_info const& b) {
  return a.starts_at && a.ends_at && b.starts_at && b.ends_at && *a.starts_at < *b.ends_at && *b.starts_at < *a.ends_at;
}

}  // namespace

namespace {
constexpr std::array<std::string_view, 4> reg_status_names{"confirmed", "waitlisted", "cancelled", "unconfirmed"};
}  // namespace

std::string_view to_string(reg_status s) noexcept { return reg_status_names[static_cast<std::size_t>(s)]; }

std::optional<reg_status> reg_status_from_string(std::string_view s) noexcept {
  for (std::size_t i = 0; i < reg_status_names.size(); ++i)
    if (reg_status_names[i] == s) return static_cast<reg_status>(i);
  return std::nullopt;
}

registration read_registration(statement const& st) {
  registration r;
  r.id = st.int64(0);
  r.event_id = st.int64(1);
  r.status = reg_status_from_string(st.text(2)).value_or(reg_status::cancelled);
  r.first_name = st.text(3);
  r.last_name = st.text(4);
  r.email = st.text(5);
  r.organisation = st.text(6);
  r.organisation_type = st.text(7);
  r.position = st.text(8);
  r.phone = st.text(9);
  r.language = st.text(10);
  r.answers = json::parse(st.text(11)).as_object();
  r.consent_at = parse_utc_text(st.text(12)).value_or(sys_seconds{});
  r.ticket_code = st.text(13);
  r.created_at = parse_utc_text(st.text(14)).value_or(sys_seconds{});
  if (auto c = st.optional_text(15)) r.confirm_by = parse_utc_text(*c);
  return r;
}

outcome<registration_input> registration_from_json(json::value const& v) {
  if (!v.is_object()) return fail(errc::invalid_field, "body", "invalid_type");
  auto const& o = v.get_object();
  registration_input in;
  std::vector<field_error> errors;
  auto text = [&](std::string_view key, std::string& out) {
    auto const* f = o.if_contains(key);
    if (!f || f->is_null()) return;
    if (f->is_string()) out = f->get_string();
    else errors.push_back({std::string(key), "invalid_type"});
  };
  text("first_name", in.first_name);
  text("last_name", in.last_name);
  text("email", in.email);
  text("organisation", in.organisation);
  text("organisation_type", in.organisation_type);
  text("position", in.position);
  text("phone", in.phone);
  text("language", in.language);
  if (auto const* s = o.if_contains("sessions"); s && !s->is_null()) {
    if (!s->is_array()) errors.push_back({"sessions", "invalid_type"});
    else
      for (auto const& id : s->get_array()) {
        if (auto n = id.if_int64()) in.sessions.push_back(*n);
        else {
          errors.push_back({"sessions", "unknown_session"});
          break;
        }
      }
  }
  if (auto const* a = o.if_contains("answers"); a && !a->is_null()) {
    if (a->is_object()) in.answers = a->get_object();
    else errors.push_back({"answers", "invalid_type"});
  }
  if (auto const* c = o.if_contains("consent"); c && !c->is_null()) {
    if (c->is_bool()) in.consent = c->get_bool();
    else errors.push_back({"consent", "invalid_type"});
  }
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  return in;
}

registration_input registration_from_form(std::vector<std::pair<std::string, std::string>> const& fields,
                                          event const& e) {
  registration_input in;
  in.language.clear();
  for (auto const& [k, v] : fields) {
    if (k == "first_name") in.first_name = v;
    else if (k == "last_name") in.last_name = v;
    else if (k == "email") in.email = v;
    else if (k == "organisation") in.organisation = v;
    else if (k == "organisation_type") in.organisation_type = v;
    else if (k == "position") in.position = v;
    else if (k == "phone") in.phone = v;
    else if (k == "language" || k == "lang") in.language = v;
    else if (k == "consent") in.consent = !v.empty();
    else if (k == "sessions") {
      std::int64_t id = 0;
      bool ok =
          !v.empty() && v.size() < 18 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (ok) id = std::stoll(v);
      in.sessions.push_back(ok ? id : -1);
    } else if (k.starts_with("answers.")) {
      std::string key = k.substr(8);
      auto q = std::find_if(e.questions.begin(), e.questions.end(), [&](auto const& x) { return x.key == key; });
      if (q == e.questions.end()) continue;
      if (q->kind == "multiple") {
        auto& arr = in.answers[key];
        if (!arr.is_array()) arr = json::array();
        if (!v.empty()) arr.as_array().emplace_back(v);
      } else if (q->kind == "checkbox") {
        in.answers[key] = !v.empty();
      } else {
        in.answers[key] = v;
      }
    }
  }
  if (in.language.empty()) in.language = "de";
  return in;
}

std::vector<field_error> validate(registration_input& in, event const& e, bool walk_in) {
  std::vector<field_error> errors;
  check_field(errors, "first_name", in.first_name, field_mode::required, 100);
  check_field(errors, "last_name", in.last_name, field_mode::required, 100);
  in.email = std::string(trim(in.email));
  if (in.email.empty()) {
    if (!walk_in) errors.push_back({"email", "required"});
  } else if (!is_valid_utf8(in.email) || !is_plausible_email(in.email)) errors.push_back({"email", "invalid_email"});
  check_field(errors, "organisation", in.organisation, e.mode_of("organisation"), 200);
  check_field(errors, "organisation_type", in.organisation_type, e.mode_of("organisation_type"), 40);
  if (!in.organisation_type.empty() && !contains(organisation_types, in.organisation_type) &&
      (errors.empty() || errors.back().field != "organisation_type"))
    errors.push_back({"organisation_type", "invalid_choice"});
  check_field(errors, "position", in.position, e.mode_of("position"), 200);
  check_field(errors, "phone", in.phone, e.mode_of("phone"), 40);
  if (!in.phone.empty() && (errors.empty() || errors.back().field != "phone") &&
      !std::all_of(in.phone.begin(), in.phone.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '(' || c == ')' || c == '-' || c == '/' ||
               c == '.';
      }))
    errors.push_back({"phone", "invalid_phone"});
  if (!contains(languages, in.language)) in.language = "de";

  std::vector<session_info const*> picked;
  for (auto id : in.sessions) {
    auto const* s = e.find_session(id);
    if (!s) {
      errors.push_back({"sessions", "unknown_session"});
      break;
    }
    if (std::find(picked.begin(), picked.end(), s) != picked.end()) continue;
    for (auto const* other : picked)
      if (overlap(*s, *other)) {
        errors.push_back({"sessions", "sessions_overlap"});
        break;
      }
    picked.push_back(s);
  }
  in.sessions.clear();
  for (auto const* s : picked) in.sessions.push_back(s->id);

  check_answers(errors, in.answers, e);
  if (!in.consent) errors.push_back({"consent", "consent_required"});
  return errors;
}

std::optional<failure> seat_problem(database& db, event const& e, std::vector<std::int64_t> const& sessions) {
  if (e.capacity) {
    auto count = db.cached("SELECT confirmed_count FROM events WHERE id = ?1");
    count.bind(1, e.id);
    std::int64_t confirmed = count.step() ? count.int64(0) : 0;
    if (confirmed >= *e.capacity) return fail(errc::event_full);
  }
  auto count = db.cached("SELECT confirmed_count FROM event_sessions WHERE id = ?1");
  for (auto id : sessions) {
    auto const* s = e.find_session(id);
    if (!s || !s->capacity) continue;
    count.bind(1, id);
    std::int64_t taken = count.step() ? count.int64(0) : 0;
    count.reset();
    if (taken >= *s->capacity) {
      auto f = fail(errc::session_full, "sessions", "session_full");
      f.detail = s->title;
      return f;
    }
  }
  return std::nullopt;
}

outcome<registration> register_participant(database& db, event const& e, registration_input const& in, sys_seconds at,
                                           intake how) {
  if (!how.staff) {
    if (e.status != "published") return fail(errc::event_not_published);
    switch (e.registration_window(at)) {
      case event::window::not_yet_open: return fail(errc::registration_not_open);
      case event::window::closed: return fail(errc::registration_closed);
      case event::window::open: break;
    }
  }
  // Only a walk-in comes without an address; a unique key keeps the one-per-address rule for the rest.
  auto key = in.email.empty() ? "walkin:" + random_token(10) : email_key(in.email);
  auto dup = db.cached("SELECT 1 FROM registrations WHERE event_id = ?1 AND email_key = ?2 AND status <> 'cancelled'");
  bool exists = dup.bind_all(e.id, key).step();
  if (exists) return fail(errc::already_registered, "email", "already_registered");

  auto status = reg_status::confirmed;
  if (auto full = how.over_capacity ? std::nullopt : seat_problem(db, e, in.sessions)) {
    if (full->code != errc::event_full || !e.waitlist || !how.waitlist) return std::move(*full);
    status = reg_status::waitlisted;
  }

  registration r;
  r.event_id = e.id;
  r.status = status;
  r.first_name = in.first_name;
  r.last_name = in.last_name;
  r.email = in.email;
  r.organisation = in.organisation;
  r.organisation_type = in.organisation_type;
  r.position = in.position;
  r.phone = in.phone;
  r.language = in.language;
  r.answers = in.answers;
  r.sessions = in.sessions;
  r.consent_at = at;
  r.created_at = at;
  r.ticket_code = make_ticket_code({e.sign_public_key, event_secret_key(db, e.id)});

  auto ins = db.cached(
      "INSERT INTO registrations (event_id, status, first_name, last_name, email, email_key, organisation, "
      "organisation_type, position, phone, language, answers, consent_at, consent_version, ticket_code, created_at, "
      "confirm_by, search_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18) "
      "RETURNING id");
  ins.bind_all(e.id, r.status, r.first_name, r.last_name, r.email, key, r.organisation, r.organisation_type, r.position,
               r.phone, r.language, json::serialize(r.answers), to_utc_text(at), consent_version_of(db, e),
               r.ticket_code, to_utc_text(at));
  // Double opt-in: the seat is held until the link in the mail is opened, or the time is up.
  if (e.opt_in_hours && !in.email.empty() && !how.staff) r.confirm_by = at + std::chrono::hours(*e.opt_in_hours);
  ins.bind(17, r.confirm_by ? std::optional(to_utc_text(*r.confirm_by)) : std::nullopt);
  ins.bind(18, search_key(r.first_name, r.last_name, r.organisation));
  r.id = inserted_id(ins);
  auto rs = db.cached("INSERT INTO registration_sessions (registration_id, session_id) VALUES (?1, ?2)");
  for (auto id : r.sessions) {
    rs.reset();
    rs.bind_all(r.id, id).run();
  }
  if (how.mail && !r.email.empty()) enqueue_mail(db, e.id, r.id, standing_mail_kind(r.confirm_by, status), at);
  notify_webhooks(db, e.id, "registration.created", r.id, at);
  return r;
}

namespace {

template <class... Keys>
std::optional<registration> load_registration(database& db, std::string_view where, Keys const&... keys) {
  auto st = db.cached("SELECT " + std::string(registration_fields) + " FROM registrations " + std::string(where));
  st.bind_all(keys...);
  if (!st.step()) return std::nullopt;
  auto r = read_registration(st);
  auto ss = db.cached("SELECT session_id FROM registration_sessions WHERE registration_id = ?1 ORDER BY session_id");
  ss.bind(1, r.id);
  while (ss.step()) r.sessions.push_back(ss.int64(0));
  return r;
}

}  // namespace

std::optional<registration> find_registration(database& db, std::string_view ticket_code) {
  // As a scanner may have typed it: in lower case, or with Y and Z swapped.
  for (auto const& reading : ticket_code_readings(ticket_code))
    if (auto r = load_registration(db, "WHERE ticket_code = ?1", reading)) return r;
  return std::nullopt;
}

std::optional<registration> find_registration(database& db, std::int64_t event_id, std::int64_t id) {
  return load_registration(db, "WHERE id = ?2 AND event_id = ?1", event_id, id);
}

json::object registration_to_json(registration const& r) {
  json::object o;
  o["id"] = r.id;
  o["status"] = to_string(r.status);
  o["first_name"] = r.first_name;
  o["last_name"] = r.last_name;
  o["email"] = r.email;
  o["organisation"] = r.organisation;
  o["organisation_type"] = r.organisation_type;
  o["position"] = r.position;
  o["phone"] = r.phone;
  o["language"] = r.language;
  o["answers"] = r.answers;
  json::array sessions;
  for (auto id : r.sessions) sessions.emplace_back(id);
  o["sessions"] = std::move(sessions);
  if (r.confirm_by) o["confirm_by"] = to_utc_text(*r.confirm_by);
  return o;
}

}  // namespace einlass::checkin
