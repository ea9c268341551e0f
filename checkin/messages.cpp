#include "checkin/messages.hpp"

#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"

#include <boost/json.hpp>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

constexpr std::size_t max_subject = 200, max_body = 10000;

// A string (German) or {"de": …, "en": …, "ar": …}; errors name the field and language.
texts_by_language read_texts(json::object const& o, std::string_view key, std::size_t max, bool multiline,
                             std::vector<field_error>& errors) {
  texts_by_language out;
  auto const* v = o.if_contains(key);
  auto one = [&](std::string const& lang, json::value const& text, std::string const& field) {
    if (!text.is_string()) return errors.push_back({field, "invalid_type"});
    auto s = std::string(trim(text.get_string()));
    if (s.empty()) return;
    if (auto bad = check_text(s, max, multiline); !bad.empty()) return errors.push_back({field, bad});
    out[lang] = std::move(s);
  };
  if (!v || v->is_null()) {
  } else if (v->is_string()) {
    one("de", *v, std::string(key));
  } else if (v->is_object()) {
    for (auto const& [lang, text] : v->get_object()) {
      auto field = std::string(key) + "." + std::string(lang);
      if (std::find(languages.begin(), languages.end(), std::string_view(lang)) == languages.end())
        errors.push_back({field, "invalid_choice"});
      else one(std::string(lang), text, field);
    }
  } else {
    errors.push_back({std::string(key), "invalid_type"});
  }
  return out;
}

json::object texts_to_json(texts_by_language const& t) {
  json::object o;
  for (auto const& [lang, text] : t) o[lang] = text;
  return o;
}

texts_by_language texts_from_text(std::string const& stored) {
  texts_by_language t;
  auto v = json::parse(stored);
  for (auto const& [lang, text] : v.as_object()) t[std::string(lang)] = std::string(text.as_string());
  return t;
}

json::object audience_to_json(attendee_filter const& f) {
  json::object o;
  if (f.status) o["status"] = to_string(*f.status);
  if (f.session_id) o["session"] = *f.session_id;
  if (f.organisation_type) o["organisation_type"] = *f.organisation_type;
  if (f.checked_in) o["checked_in"] = *f.checked_in ? "yes" : "no";
  return o;
}

// The recipients: the filter's people with an address whose data was not deleted.
std::string recipients_where(engine e) {
  return attendee_filter_where(e) + "AND r.email <> '' AND r.anonymised_at IS NULL ";
}

}  // namespace

std::string written_language(texts_by_language const& t, std::string_view lang) {
  if (t.contains(std::string(lang))) return std::string(lang);
  if (t.contains("de")) return "de";
  return t.empty() ? std::string("de") : t.begin()->first;
}

outcome<message_input> message_from_json(json::value const& v, event const& e) {
  if (!v.is_object()) return fail(errc::invalid_field, "body", "invalid_type");
  auto const& o = v.get_object();
  std::vector<field_error> errors;
  message_input m;
  m.subject = read_texts(o, "subject", max_subject, false, errors);
  m.body = read_texts(o, "body", max_body, true, errors);
  if (errors.empty()) {
    if (m.subject.empty()) errors.push_back({"subject", "required"});
    if (m.body.empty()) errors.push_back({"body", "required"});
    // Each language written is written whole: a subject without its text reads as a mistake.
    for (auto lang : languages) {
      bool s = m.subject.contains(std::string(lang)), b = m.body.contains(std::string(lang));
      if (s != b && !m.subject.empty() && !m.body.empty())
        errors.push_back({std::string(s ? "body." : "subject.") + std::string(lang), "required"});
    }
  }
  if (auto const* to = o.if_contains("to"); to && to->is_object()) {
    auto const& t = to->get_object();
    auto text = [&](std::string_view key) {
      auto const* x = t.if_contains(key);
      return x && x->is_string() ? std::string(x->get_string()) : std::string();
    };
    if (auto s = text("status"); !s.empty()) {
      m.to.status = reg_status_from_string(s);
      if (!m.to.status || *m.to.status == reg_status::unconfirmed) errors.push_back({"to.status", "invalid_choice"});
    }
    if (auto const* s = t.if_contains("session"); s && !s->is_null()) {
      if (s->is_int64() && e.find_session(s->get_int64())) m.to.session_id = s->get_int64();
      else errors.push_back({"to.session", "unknown_session"});
    }
    if (auto s = text("organisation_type"); !s.empty()) m.to.organisation_type = s;
    if (auto s = text("checked_in"); !s.empty()) {
      if (s != "yes" && s != "no") errors.push_back({"to.checked_in", "invalid_choice"});
      else m.to.checked_in = s == "yes";
    }
  } else if (to && !to->is_null()) {
    errors.push_back({"to", "invalid_type"});
  }
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  return m;
}

std::map<std::string, std::int64_t> count_recipients(database& db, std::int64_t event_id, attendee_filter const& to) {
  auto st = db.cached("SELECT r.language, count(*) FROM registrations r " + recipients_where(db.engine()) +
                      "GROUP BY r.language");
  bind_attendee_filter(st, event_id, to);
  std::map<std::string, std::int64_t> out;
  while (st.step()) out[st.text(0)] += st.int64(1);
  return out;
}

std::int64_t queue_message(database& db, std::int64_t event_id, message_input const& m, user const& who, bool test,
                           sys_seconds at) {
  auto counts = test ? std::map<std::string, std::int64_t>{} : count_recipients(db, event_id, m.to);
  std::int64_t recipients = test ? static_cast<std::int64_t>(m.subject.size()) : 0;
  for (auto const& [lang, n] : counts) recipients += n;
  auto ins = db.cached(
      "INSERT INTO messages (event_id, subject, body, audience, recipients, test, created_by, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  ins.bind_all(event_id, json::serialize(texts_to_json(m.subject)), json::serialize(texts_to_json(m.body)),
               json::serialize(audience_to_json(m.to)), recipients, test, who.id, to_utc_text(at));
  auto id = inserted_id(ins);
  auto message_id = "'<' || " + std::string(sql::random_hex(db.engine())) + " || '@einlass>'";
  if (test) {
    // One mail per language written, to the organiser: how each reader will see it.
    auto one = db.cached(
        "INSERT INTO outbox (event_id, kind, next_attempt_at, message_id, created_at, message_ref, to_address, "
        "language) VALUES (?1, 'message', ?2, " +
        message_id + ", ?2, ?3, ?4, ?5)");
    for (auto const& [lang, subject] : m.subject) {
      one.reset();
      one.bind_all(event_id, to_utc_text(at), id, who.email, lang).run();
    }
    return id;
  }
  auto all = db.cached(
      "INSERT INTO outbox (event_id, registration_id, kind, next_attempt_at, message_id, created_at, message_ref) "
      "SELECT r.event_id, r.id, 'message', ?9, " +
      message_id + ", ?9, ?10 FROM registrations r " + recipients_where(db.engine()));
  bind_attendee_filter(all, event_id, m.to);
  all.bind(9, to_utc_text(at)).bind(10, id).run();
  return id;
}

namespace {

constexpr std::string_view message_columns =
    "SELECT m.id, m.event_id, m.subject, m.body, m.audience, m.recipients, m.test, coalesce(u.email, ''), "
    "m.created_at, (SELECT count(*) FROM outbox o WHERE o.message_ref = m.id AND o.status = 'sent'), "
    "(SELECT count(*) FROM outbox o WHERE o.message_ref = m.id AND o.status = 'pending'), "
    "(SELECT count(*) FROM outbox o WHERE o.message_ref = m.id AND o.status = 'failed') "
    "FROM messages m LEFT JOIN users u ON u.id = m.created_by ";

stored_message read_message(statement const& st) {
  stored_message m;
  m.id = st.int64(0);
  m.event_id = st.int64(1);
  m.subject = texts_from_text(st.text(2));
  m.body = texts_from_text(st.text(3));
  m.audience = json::parse(st.text(4)).as_object();
  m.recipients = st.int64(5);
  m.test = st.int64(6) != 0;
  m.created_by = st.text(7);
  m.created_at = parse_utc_text(st.text(8)).value_or(sys_seconds{});
  m.sent = st.int64(9);
  m.pending = st.int64(10);
  m.failed = st.int64(11);
  return m;
}

}  // namespace

std::optional<stored_message> find_message(database& db, std::int64_t id) {
  auto st = db.cached(std::string(message_columns) + "WHERE m.id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  return read_message(st);
}

std::vector<stored_message> messages_of_event(database& db, std::int64_t event_id) {
  auto st = db.cached(std::string(message_columns) + "WHERE m.event_id = ?1 ORDER BY m.id DESC");
  st.bind(1, event_id);
  std::vector<stored_message> out;
  while (st.step()) out.push_back(read_message(st));
  return out;
}

json::object message_to_json(stored_message const& m, std::string_view zone) {
  return {{"id", m.id},
          {"subject", texts_to_json(m.subject)},
          {"body", texts_to_json(m.body)},
          {"to", m.audience},
          {"recipients", m.recipients},
          {"test", m.test},
          {"created_by", m.created_by},
          {"created_at", to_iso8601(m.created_at, zone)},
          {"delivery", json::object{{"sent", m.sent}, {"pending", m.pending}, {"failed", m.failed}}}};
}

}  // namespace einlass::checkin
