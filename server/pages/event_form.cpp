#include "server/pages/event_form.hpp"

#include "checkin/text.hpp"
#include "server/app/errors.hpp"
#include "server/app/i18n.hpp"
#include "server/pages/html.hpp"
#include "server/pages/page_parts.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

class form_writer {
 public:
  form_writer(std::string& out, std::string_view lang, form_state const& st) : out_(out), lang_(lang), st_(st) {}

  [[nodiscard]] std::string t(std::string_view key) const { return esc(catalog::builtin().text(lang_, key)); }

  [[nodiscard]] field_error const* error_for(std::string_view name) const {
    auto it = std::find_if(st_.errors.begin(), st_.errors.end(), [&](auto const& e) { return e.field == name; });
    return it == st_.errors.end() ? nullptr : &*it;
  }

  // The error line under a field: always present so the script can fill it.
  void error_line(std::string_view name) {
    auto const* e = error_for(name);
    out_ += "<p class=\"field-error\" id=\"e-" + esc(name) + "\"" + (e ? "" : " hidden") + ">";
    if (e) out_ += esc(field_message(lang_, *e, st_.detail));
    out_ += "</p>";
  }

  std::string aria(std::string_view name) {
    return " aria-describedby=\"e-" + esc(name) + "\"" + (error_for(name) ? " aria-invalid=\"true\"" : "");
  }

  void label(std::string_view name, std::string const& text, bool required) {
    out_ += "<label for=\"f-" + esc(name) + "\">" + text;
    out_ +=
        required ? " <span aria-hidden=\"true\">*</span>" : " <span class=\"opt\">(" + t("form.optional") + ")</span>";
    out_ += "</label>";
  }

  void input(std::string_view name, std::string const& label_text, std::string_view value, std::string_view type,
             std::string_view autocomplete, bool required, std::size_t maxlength, bool ltr = false) {
    out_ += "<div class=\"field\">";
    label(name, label_text, required);
    out_ += "<input id=\"f-" + esc(name) + "\" name=\"" + esc(name) + "\" type=\"" + std::string(type) + "\" value=\"" +
            esc(value) + "\" maxlength=\"" + std::to_string(maxlength) + "\"";
    if (!autocomplete.empty()) out_ += " autocomplete=\"" + std::string(autocomplete) + "\"";
    if (required) out_ += " required";
    if (ltr) out_ += " dir=\"ltr\"";
    out_ += aria(name) + ">";
    error_line(name);
    out_ += "</div>";
  }

  void standard(event const& e, std::string_view name, std::string_view value, std::string_view type,
                std::string_view autocomplete, std::size_t maxlength, bool ltr = false) {
    auto mode = e.mode_of(name);
    if (mode == field_mode::off) return;
    input(name, t("field." + std::string(name)), value, type, autocomplete, mode == field_mode::required, maxlength,
          ltr);
  }

 private:
  std::string& out_;
  std::string_view lang_;
  form_state const& st_;
};

std::string paragraphs(shown const& shown_text) {
  auto text = shown_text.text;
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find("\n\n", start);
    auto para = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!para.empty()) out += "<p" + lang_attrs(shown_text) + ">" + esc_lines(para) + "</p>";
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

void event_header(std::string& out, form_writer& w, event const& e, std::string_view lang, bool open) {
  auto const& c = catalog::builtin();
  out += "<article class=\"event\">" + in_own_language(e.text(text_field::title, lang), "h1") + "<dl class=\"facts\">" +
         event_facts(e, lang) + "</dl>";
  if (auto left = e.seats_left(); left && *left > 0 && open)
    out += "<p class=\"seats\">" + esc(c.plural(lang, "event.seats_left", *left)) + "</p>";
  if (auto about = e.text(text_field::description, lang); !about.text.empty())
    out += "<section class=\"about\"><h2>" + w.t("event.about") + "</h2>" + paragraphs(about) + "</section>";
  out += "</article>";
}

// What went wrong, each a link to its field.
void error_summary(std::string& out, form_writer& w, event const& e, std::string_view lang, form_state const& st) {
  auto const& c = catalog::builtin();
  bool has_errors = !st.errors.empty() || !st.notice.empty();
  out += "<div id=\"error-summary\" class=\"error-summary\" role=\"alert\" tabindex=\"-1\"" +
         std::string(has_errors ? "" : " hidden") + "><h3>" + w.t("form.errors_heading") + "</h3><ul>";
  if (!st.notice.empty()) out += "<li>" + esc(st.notice) + "</li>";
  for (auto const& fe : st.errors) {
    std::string label_key = fe.field.starts_with("answers.") ? "field.answers" : "field." + fe.field;
    std::string label = std::string(c.text(lang, label_key));
    if (fe.field.starts_with("answers."))
      for (auto const& q : e.questions)
        if ("answers." + q.key == fe.field) label = e.label(q, lang).text;
    out += "<li><a href=\"#f-" + esc(fe.field) + "\">" + esc(label) + ": " + esc(field_message(lang, fe, st.detail)) +
           "</a></li>";
  }
  out += "</ul></div>";
}

void organisation_type_field(std::string& out, form_writer& w, event const& e, registration_input const& v) {
  auto mode = e.mode_of("organisation_type");
  if (mode == field_mode::off) return;
  out += "<div class=\"field\">";
  w.label("organisation_type", w.t("field.organisation_type"), mode == field_mode::required);
  out += "<select id=\"f-organisation_type\" name=\"organisation_type\"" +
         std::string(mode == field_mode::required ? " required" : "") + w.aria("organisation_type") + ">";
  out += "<option value=\"\">" + w.t("form.choose") + "</option>";
  for (auto type : organisation_types)
    out += "<option value=\"" + std::string(type) + "\"" + (v.organisation_type == type ? " selected" : "") + ">" +
           w.t("orgtype." + std::string(type)) + "</option>";
  out += "</select>";
  w.error_line("organisation_type");
  out += "</div>";
}

void sessions_field(std::string& out, form_writer& w, event const& e, std::string_view lang,
                    registration_input const& v) {
  if (e.sessions.empty()) return;
  auto const& c = catalog::builtin();
  out += "<fieldset class=\"field sessions\" id=\"f-sessions\"" + w.aria("sessions") + "><legend>" +
         w.t("field.sessions") + " <span class=\"opt\">(" + w.t("form.optional") +
         ")</span></legend><p class=\"hint\">" + w.t("form.sessions_hint") + "</p>";
  for (auto const& s : e.sessions) {
    auto id = std::to_string(s.id);
    bool checked = std::find(v.sessions.begin(), v.sessions.end(), s.id) != v.sessions.end();
    bool full = s.seats_left() && *s.seats_left() == 0;
    // Its time (seconds since the epoch), so the page can say at once that two overlap.
    std::string times;
    if (s.starts_at && s.ends_at)
      times = " data-starts=\"" + std::to_string(s.starts_at->time_since_epoch().count()) + "\" data-ends=\"" +
              std::to_string(s.ends_at->time_since_epoch().count()) + "\"";
    out += "<label class=\"choice\"><input type=\"checkbox\" name=\"sessions\" value=\"" + id + "\"" + times +
           (checked ? " checked" : "") + (full && !checked ? " disabled" : "") + "><span>" +
           in_own_language(e.text(s, text_field::title, lang), "strong");
    if (auto about = e.text(s, text_field::description, lang); !about.text.empty())
      out += "<br><small" + lang_attrs(about) + ">" + esc_lines(about.text) + "</small>";
    if (auto when = session_time(e, s, lang); !when.empty()) out += "<br><small>" + esc(when) + "</small>";
    if (full) out += " <small class=\"full\">(" + w.t("session.full") + ")</small>";
    else if (auto left = s.seats_left())
      out +=
          " <small>(" + esc(c.format(lang, "session.seats_left", {{"n", c.format_number(lang, *left)}})) + ")</small>";
    out += "</span></label>";
  }
  w.error_line("sessions");
  out += "</fieldset>";
}

// A question as the reader sees it: its label and options in their language.
struct shown_question {
  question const& q;
  shown label;
  shown_options options;
};

void text_question(std::string& out, form_writer& w, shown_question const& sq, std::string const& name,
                   json::value const* a) {
  auto const& q = sq.q;
  out += "<div class=\"field\">";
  w.label(name, in_own_language(sq.label), q.required);
  out += "<textarea id=\"f-" + esc(name) + "\" name=\"" + esc(name) + "\" rows=\"3\" maxlength=\"2000\"" +
         (q.required ? " required" : "") + w.aria(name) + ">" + (a && a->is_string() ? esc(a->get_string()) : "") +
         "</textarea>";
  w.error_line(name);
  out += "</div>";
}

void checkbox_question(std::string& out, form_writer& w, shown_question const& sq, std::string const& name,
                       json::value const* a) {
  auto const& q = sq.q;
  bool checked = a && a->is_bool() && a->get_bool();
  out += "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-" + esc(name) + "\" name=\"" +
         esc(name) + "\" value=\"1\"" + (checked ? " checked" : "") + (q.required ? " required" : "") + w.aria(name) +
         "><span>" + in_own_language(sq.label) + (q.required ? " *" : "") + "</span></label>";
  w.error_line(name);
  out += "</div>";
}

// One choice (radios) or several (checkboxes) of the question's options.
void choice_question(std::string& out, form_writer& w, shown_question const& sq, std::string const& name,
                     json::value const* a) {
  auto const& q = sq.q;
  bool multiple = q.kind == "multiple";
  out += "<fieldset class=\"field\" id=\"f-" + esc(name) + "\"" + (q.required ? " data-required" : "") + w.aria(name) +
         "><legend>" + in_own_language(sq.label) +
         (q.required ? " *" : " <span class=\"opt\">(" + w.t("form.optional") + ")</span>") + "</legend>";
  for (std::size_t i = 0; i < q.options.size(); ++i) {
    auto const& opt = q.options[i];  // the value stored, in the event's language
    shown label{sq.options.options.at(i), sq.options.lang};
    bool checked = false;
    if (a && a->is_string()) checked = a->get_string() == opt;
    if (a && a->is_array())
      checked = std::find(a->get_array().begin(), a->get_array().end(), json::value(opt)) != a->get_array().end();
    out += "<label class=\"choice\"><input type=\"" + std::string(multiple ? "checkbox" : "radio") + "\" name=\"" +
           esc(name) + "\" value=\"" + esc(opt) + "\"" + (checked ? " checked" : "") + ">" + in_own_language(label) +
           "</label>";
  }
  w.error_line(name);
  out += "</fieldset>";
}

void question_fields(std::string& out, form_writer& w, event const& e, std::string_view lang,
                     registration_input const& v) {
  if (e.questions.empty()) return;
  out += "<h3>" + w.t("form.questions_heading") + "</h3>";
  for (auto const& q : e.questions) {
    std::string name = "answers." + q.key;
    auto const* a = v.answers.if_contains(q.key);
    shown_question sq{q, e.label(q, lang), e.options(q, lang)};
    if (q.kind == "text") text_question(out, w, sq, name, a);
    else if (q.kind == "checkbox") checkbox_question(out, w, sq, name, a);
    else choice_question(out, w, sq, name, a);
  }
}

void consent_and_submit(std::string& out, form_writer& w, event const& e, std::string_view lang,
                        registration_input const& v) {
  out +=
      "<div class=\"field consent\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-consent\" name=\"consent\" "
      "value=\"1\" required" +
      std::string(v.consent ? " checked" : "") + w.aria("consent") + "><span>" + w.t("form.consent_label") +
      "</span></label> <a href=\"" + esc(privacy_link(e.organisation, lang)) +
      "\" target=\"_blank\" rel=\"noopener\">" + w.t("form.privacy_link") + "</a>";
  w.error_line("consent");
  out += "</div>";
  bool waitlist = e.seats_left() && *e.seats_left() == 0;
  out += "<button type=\"submit\" class=\"primary\" data-busy=\"" + w.t("form.submitting") + "\">" +
         w.t(waitlist ? "form.submit_waitlist" : "form.submit") + "</button>";
  out += "<p class=\"network-error\" role=\"alert\" hidden>" + w.t("form.network_error") + "</p>";
}

}  // namespace

// Registered already, the ticket mail lost: sent again to the address (register.js shows this;
// the answer is the same whether the address is registered or not). Offered while registration
// is closed too: that is when a lost ticket is missed most.
void resend_section(std::string& out, form_writer& w, event const& e, std::string_view lang) {
  if (e.status != "published") return;
  out += "<section class=\"resend\" id=\"resend\" hidden><h2>" + w.t("form.resend_title") + "</h2><p class=\"hint\">" +
         w.t("form.resend_hint") + "</p><form id=\"resend-form\" novalidate data-slug=\"" + esc(e.slug) +
         "\" data-lang=\"" + esc(lang) + "\"><label for=\"resend-email\">" + w.t("form.resend_email") +
         "</label><input type=\"email\" id=\"resend-email\" name=\"email\" autocomplete=\"email\" dir=\"ltr\" "
         "maxlength=\"254\" required aria-describedby=\"resend-error\"><p class=\"field-error\" id=\"resend-error\" "
         "hidden></p><button type=\"submit\">" +
         w.t("form.resend_submit") + "</button><p class=\"resend-answer\" role=\"status\"></p></form></section>";
}

// The notice above the form, and whether the form is offered at all.
std::pair<std::string, bool> availability(event const& e, std::string_view lang) {
  auto const& c = catalog::builtin();
  if (e.status != "published") return {c.text(lang, "event.draft").data(), false};
  switch (e.registration_window(now())) {
    case event::window::not_yet_open:
      return {c.format(lang, "event.not_open",
                       {{"date", c.format_date(lang, *e.registration_opens_at, e.timezone)},
                        {"time", c.format_time(lang, *e.registration_opens_at, e.timezone)}}),
              false};
    case event::window::closed: return {std::string(c.text(lang, "event.closed")), false};
    case event::window::open: break;
  }
  if (e.seats_left() && *e.seats_left() == 0)
    return {std::string(c.text(lang, e.waitlist ? "event.full_waitlist" : "event.full")), e.waitlist};
  return {{}, true};
}

std::string render_event_body(event const& e, std::string_view lang, form_state const& st) {
  std::string out;
  form_writer w(out, lang, st);
  auto [notice, open] = availability(e, lang);
  event_header(out, w, e, lang, open);
  out += "<section class=\"register\" aria-labelledby=\"form-heading\"><h2 id=\"form-heading\">" + w.t("form.heading") +
         "</h2>";
  if (!notice.empty()) out += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
  if (!open) {
    out += "</section>";
    resend_section(out, w, e, lang);
    return out;
  }
  error_summary(out, w, e, lang, st);

  auto const& v = st.values;
  out += "<form id=\"registration\" class=\"form\" method=\"post\" action=\"/e/" + esc(e.slug) +
         "\" novalidate data-slug=\"" + esc(e.slug) + "\" data-lang=\"" + esc(lang) + "\">";
  out += "<input type=\"hidden\" name=\"lang\" value=\"" + esc(lang) + "\">";
  out += "<p class=\"hint\">" + w.t("form.required_hint") + "</p>";
  w.input("first_name", w.t("field.first_name"), v.first_name, "text", "given-name", true, 100);
  w.input("last_name", w.t("field.last_name"), v.last_name, "text", "family-name", true, 100);
  w.input("email", w.t("field.email"), v.email, "email", "email", true, 254, true);
  w.standard(e, "organisation", v.organisation, "text", "organization", 200);
  organisation_type_field(out, w, e, v);
  w.standard(e, "position", v.position, "text", "organization-title", 200);
  w.standard(e, "phone", v.phone, "tel", "tel", 40, true);
  sessions_field(out, w, e, lang, v);
  question_fields(out, w, e, lang, v);
  consent_and_submit(out, w, e, lang, v);
  out += "</form></section>";
  resend_section(out, w, e, lang);
  return out;
}

}  // namespace einlass::server
