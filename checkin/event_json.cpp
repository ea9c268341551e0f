#include "checkin/crypto.hpp"
#include "checkin/event.hpp"

#include <boost/json.hpp>

namespace einlass::checkin {

namespace json = boost::json;

namespace {

json::value time_json(std::optional<sys_seconds> t, std::string const& zone) {
  return t ? json::value(to_iso8601(*t, zone)) : json::value(nullptr);
}

json::value seats_json(std::optional<std::int64_t> n) { return n ? json::value(*n) : json::value(nullptr); }

// How texts are answered: every written language as an object (organisers editing), or one
// string in the reader's language.
struct text_view {
  event const& e;
  bool objects;
  std::string_view reader;

  [[nodiscard]] json::value text(std::string_view base, translations const& t, text_field f) const {
    if (!objects) return json::value(in_language(base, t, f, reader, e.language).text);
    json::object o;
    if (!base.empty()) o[e.language] = base;
    for (auto l : t.languages())
      if (auto s = t.get(l, f); !s.empty()) o[l] = s;
    return o;
  }

  [[nodiscard]] json::value options(question const& q) const {
    auto array = [](std::vector<std::string> const& v) {
      json::array a;
      for (auto const& x : v) a.emplace_back(x);
      return a;
    };
    if (!objects) return array(e.options(q, reader).options);
    json::object o{{e.language, array(q.options)}};
    for (auto l : q.texts.languages())
      if (auto shown = e.options(q, l); shown.lang == l) o[l] = array(shown.options);
    return o;
  }
};

json::array sessions_json(event const& e, text_view const& v, bool full) {
  json::array sessions;
  for (auto const& s : e.sessions) {
    json::object so;
    so["id"] = s.id;
    so["title"] = v.text(s.title, s.texts, text_field::title);
    so["description"] = v.text(s.description, s.texts, text_field::description);
    so["capacity"] = seats_json(s.capacity);
    so["seats_left"] = seats_json(s.seats_left());
    so["starts_at"] = time_json(s.starts_at, e.timezone);
    so["ends_at"] = time_json(s.ends_at, e.timezone);
    if (full) so["confirmed"] = s.confirmed;
    sessions.push_back(std::move(so));
  }
  return sessions;
}

json::array questions_json(event const& e, text_view const& v) {
  json::array questions;
  for (auto const& q : e.questions) {
    json::object qo;
    qo["key"] = q.key;
    qo["kind"] = q.kind;
    qo["label"] = v.text(q.label, q.texts, text_field::label);
    qo["required"] = q.required;
    qo["options"] = v.options(q);
    if (!v.objects && !q.options.empty()) {  // what an answer stores, whatever language was shown
      json::array values;
      for (auto const& opt : q.options) values.emplace_back(opt);
      qo["values"] = std::move(values);
    }
    questions.push_back(std::move(qo));
  }
  return questions;
}

}  // namespace

json::object event_to_json(event const& e, bool full, std::string_view lang) {
  text_view v{e, full && lang.empty(), is_text_language(lang) ? lang : std::string_view(e.language)};
  json::object o;
  o["id"] = e.id;
  o["slug"] = e.slug;
  o["language"] = e.language;
  json::array languages;
  for (auto l : e.languages()) languages.emplace_back(l);
  o["languages"] = std::move(languages);
  o["title"] = v.text(e.title, e.texts, text_field::title);
  o["description"] = v.text(e.description, e.texts, text_field::description);
  o["starts_at"] = to_iso8601(e.starts_at, e.timezone);
  o["ends_at"] = to_iso8601(e.ends_at, e.timezone);
  o["timezone"] = e.timezone;
  o["venue"] = v.text(e.venue, e.texts, text_field::venue);
  o["address"] = v.text(e.address, e.texts, text_field::address);
  o["capacity"] = seats_json(e.capacity);
  o["seats_left"] = seats_json(e.seats_left());
  o["waitlist"] = e.waitlist;
  o["registration_opens_at"] = time_json(e.registration_opens_at, e.timezone);
  o["registration_closes_at"] = time_json(e.registration_closes_at, e.timezone);
  o["status"] = e.status;
  o["organisation"] = e.organisation.empty() ? json::value(nullptr) : json::value(e.organisation);
  json::object fields;
  for (auto const& [k, m] : e.fields) fields[k] = to_string(m);
  o["fields"] = std::move(fields);
  o["sessions"] = sessions_json(e, v, full);
  o["questions"] = questions_json(e, v);
  o["ticket_public_key"] = base32_encode(e.sign_public_key);
  if (full) {
    o["retention_days"] = seats_json(e.retention_days);
    o["opt_in_hours"] = seats_json(e.opt_in_hours);
    o["reminder_days"] = seats_json(e.reminder_days);
    o["thank_you"] = e.thank_you;
    o["mail_texts"] = e.mail.to_json();
    o["certificate"] = e.papers.certificate_json();
    o["feedback"] = e.papers.feedback;
    o["personal_data_deleted_at"] = time_json(e.personal_data_deleted_at, e.timezone);
    o["confirmed"] = e.confirmed;
    o["waitlisted"] = e.waitlisted;
    o["cancelled"] = e.cancelled;
  }
  return o;
}

}  // namespace einlass::checkin
