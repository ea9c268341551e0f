// The participant's pages: event and registration form (/e/{slug}), ticket (/t/{code}),
// privacy notice, and the start page. They work as plain HTML forms; web/assets/register.js
// makes them quicker when JavaScript runs.
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/app/errors.hpp"
#include "server/pages/page_parts.hpp"
#include "server/pages/html.hpp"
#include "server/app/mailer.hpp"
#include "server/app/requests.hpp"
#include "server/pages/pages.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

struct form_state {
  registration_input values;
  std::vector<field_error> errors;
  std::string notice;  // a message for the whole form (full, closed, rate limited)
  std::string detail;  // e.g. the full session's title
};

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
    out_ += required ? " <span aria-hidden=\"true\">*</span>" : " <span class=\"opt\">(" + t("form.optional") + ")</span>";
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
    input(name, t("field." + std::string(name)), value, type, autocomplete, mode == field_mode::required, maxlength, ltr);
  }

 private:
  std::string& out_;
  std::string_view lang_;
  form_state const& st_;
};

std::string paragraphs(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find("\n\n", start);
    auto para = trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (!para.empty()) out += "<p dir=\"auto\">" + esc_lines(para) + "</p>";
    if (end == std::string_view::npos) break;
    start = end + 2;
  }
  return out;
}

}  // namespace

std::string event_facts(event const& e, std::string_view lang) {
  auto const& c = catalog::builtin();
  std::string out = "<dt>" + esc(c.text(lang, "event.when")) + "</dt><dd>" +
                    esc(c.format_range(lang, e.starts_at, e.ends_at, e.timezone)) + "</dd>";
  if (!e.venue.empty() || !e.address.empty()) {
    out += "<dt>" + esc(c.text(lang, "event.where")) + "</dt><dd><span dir=\"auto\">" + esc(e.venue) + "</span>";
    if (!e.address.empty())
      out += std::string(e.venue.empty() ? "" : "<br>") + "<span dir=\"auto\">" + esc_lines(e.address) + "</span>";
    out += "</dd>";
  }
  return out;
}

std::string session_time(event const& e, session_info const& s, std::string_view lang) {
  if (!s.starts_at) return {};
  auto const& c = catalog::builtin();
  return s.ends_at ? c.format_range(lang, *s.starts_at, *s.ends_at, e.timezone)
                   : c.format(lang, "format.datetime", {{"date", c.format_date(lang, *s.starts_at, e.timezone)},
                                                           {"time", c.format_time(lang, *s.starts_at, e.timezone)}});
}

namespace {

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
  auto const& c = catalog::builtin();
  std::string out;
  form_writer w(out, lang, st);
  out += "<article class=\"event\"><h1 dir=\"auto\">" + esc(e.title) + "</h1><dl class=\"facts\">" +
         event_facts(e, lang) + "</dl>";
  auto [notice, open] = availability(e, lang);
  if (auto left = e.seats_left(); left && *left > 0 && open)
    out += "<p class=\"seats\">" + esc(c.plural(lang, "event.seats_left", *left)) + "</p>";
  if (!e.description.empty())
    out += "<section class=\"about\"><h2>" + w.t("event.about") + "</h2>" + paragraphs(e.description) + "</section>";
  out += "</article>";

  out += "<section class=\"register\" aria-labelledby=\"form-heading\"><h2 id=\"form-heading\">" + w.t("form.heading") + "</h2>";
  if (!notice.empty()) out += "<p class=\"notice\" role=\"status\">" + esc(notice) + "</p>";
  if (!open) return out + "</section>";

  // Error summary: what went wrong, each a link to its field.
  bool has_errors = !st.errors.empty() || !st.notice.empty();
  out += "<div id=\"error-summary\" class=\"error-summary\" role=\"alert\" tabindex=\"-1\"" +
         std::string(has_errors ? "" : " hidden") + "><h3>" + w.t("form.errors_heading") + "</h3><ul>";
  if (!st.notice.empty()) out += "<li>" + esc(st.notice) + "</li>";
  for (auto const& fe : st.errors) {
    std::string label_key = fe.field.starts_with("answers.") ? "field.answers" : "field." + fe.field;
    std::string label = std::string(c.text(lang, label_key));
    if (fe.field.starts_with("answers."))
      for (auto const& q : e.questions)
        if ("answers." + q.key == fe.field) label = q.label;
    out += "<li><a href=\"#f-" + esc(fe.field) + "\">" + esc(label) + ": " + esc(field_message(lang, fe, st.detail)) +
           "</a></li>";
  }
  out += "</ul></div>";

  auto const& v = st.values;
  out += "<form id=\"registration\" class=\"form\" method=\"post\" action=\"/e/" + esc(e.slug) +
         "\" novalidate data-slug=\"" + esc(e.slug) + "\" data-lang=\"" + esc(lang) + "\">";
  out += "<input type=\"hidden\" name=\"lang\" value=\"" + esc(lang) + "\">";
  out += "<p class=\"hint\">" + w.t("form.required_hint") + "</p>";
  w.input("first_name", w.t("field.first_name"), v.first_name, "text", "given-name", true, 100);
  w.input("last_name", w.t("field.last_name"), v.last_name, "text", "family-name", true, 100);
  w.input("email", w.t("field.email"), v.email, "email", "email", true, 254, true);
  w.standard(e, "organisation", v.organisation, "text", "organization", 200);

  if (auto mode = e.mode_of("organisation_type"); mode != field_mode::off) {
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
  w.standard(e, "position", v.position, "text", "organization-title", 200);
  w.standard(e, "phone", v.phone, "tel", "tel", 40, true);

  if (!e.sessions.empty()) {
    out += "<fieldset class=\"field sessions\" id=\"f-sessions\"" + w.aria("sessions") + "><legend>" + w.t("field.sessions") +
           " <span class=\"opt\">(" + w.t("form.optional") + ")</span></legend><p class=\"hint\">" +
           w.t("form.sessions_hint") + "</p>";
    for (auto const& s : e.sessions) {
      auto id = std::to_string(s.id);
      bool checked = std::find(v.sessions.begin(), v.sessions.end(), s.id) != v.sessions.end();
      bool full = s.seats_left() && *s.seats_left() == 0;
      out += "<label class=\"choice\"><input type=\"checkbox\" name=\"sessions\" value=\"" + id + "\"" +
             (checked ? " checked" : "") + (full && !checked ? " disabled" : "") + "><span><strong dir=\"auto\">" + esc(s.title) +
             "</strong>";
      if (auto when = session_time(e, s, lang); !when.empty()) out += "<br><small>" + esc(when) + "</small>";
      if (full) out += " <small class=\"full\">(" + w.t("session.full") + ")</small>";
      else if (auto left = s.seats_left())
        out += " <small>(" + esc(c.format(lang, "session.seats_left", {{"n", c.format_number(lang, *left)}})) + ")</small>";
      out += "</span></label>";
    }
    w.error_line("sessions");
    out += "</fieldset>";
  }

  if (!e.questions.empty()) {
    out += "<h3>" + w.t("form.questions_heading") + "</h3>";
    for (auto const& q : e.questions) {
      std::string name = "answers." + q.key;
      auto const* a = v.answers.if_contains(q.key);
      if (q.kind == "text") {
        out += "<div class=\"field\">";
        w.label(name, "<span dir=\"auto\">" + esc(q.label) + "</span>", q.required);
        out += "<textarea id=\"f-" + esc(name) + "\" name=\"" + esc(name) + "\" rows=\"3\" maxlength=\"2000\"" +
               (q.required ? " required" : "") + w.aria(name) + ">" +
               (a && a->is_string() ? esc(a->get_string()) : "") + "</textarea>";
        w.error_line(name);
        out += "</div>";
      } else if (q.kind == "checkbox") {
        bool checked = a && a->is_bool() && a->get_bool();
        out += "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-" + esc(name) + "\" name=\"" +
               esc(name) + "\" value=\"1\"" + (checked ? " checked" : "") + (q.required ? " required" : "") + w.aria(name) +
               "><span><span dir=\"auto\">" + esc(q.label) + "</span>" + (q.required ? " *" : "") + "</span></label>";
        w.error_line(name);
        out += "</div>";
      } else {
        bool multiple = q.kind == "multiple";
        out += "<fieldset class=\"field\" id=\"f-" + esc(name) + "\"" + w.aria(name) + "><legend><span dir=\"auto\">" + esc(q.label) + "</span>" +
               (q.required ? " *" : " <span class=\"opt\">(" + w.t("form.optional") + ")</span>") + "</legend>";
        for (auto const& opt : q.options) {
          bool checked = false;
          if (a && a->is_string()) checked = a->get_string() == opt;
          if (a && a->is_array())
            checked = std::find(a->get_array().begin(), a->get_array().end(), json::value(opt)) != a->get_array().end();
          out += "<label class=\"choice\"><input type=\"" + std::string(multiple ? "checkbox" : "radio") + "\" name=\"" +
                 esc(name) + "\" value=\"" + esc(opt) + "\"" + (checked ? " checked" : "") + "><span dir=\"auto\">" + esc(opt) +
                 "</span></label>";
        }
        w.error_line(name);
        out += "</fieldset>";
      }
    }
  }

  out += "<div class=\"field consent\"><label class=\"choice\"><input type=\"checkbox\" id=\"f-consent\" name=\"consent\" "
         "value=\"1\" required" +
         std::string(v.consent ? " checked" : "") + w.aria("consent") + "><span>" + w.t("form.consent_label") +
         "</span></label> <a href=\"/privacy?lang=" + esc(lang) + "\" target=\"_blank\" rel=\"noopener\">" +
         w.t("form.privacy_link") + "</a>";
  w.error_line("consent");
  out += "</div>";
  bool waitlist = e.seats_left() && *e.seats_left() == 0;
  out += "<button type=\"submit\" class=\"primary\" data-busy=\"" + w.t("form.submitting") + "\">" +
         w.t(waitlist ? "form.submit_waitlist" : "form.submit") + "</button>";
  out += "<p class=\"network-error\" role=\"alert\" hidden>" + w.t("form.network_error") + "</p>";
  out += "</form></section>";
  return out;
}

// On the form page the language switch posts the form, so nothing typed is lost.
std::string form_language_switch(std::string_view lang) {
  auto const& c = catalog::builtin();
  std::string out = "<nav class=\"langs\" aria-label=\"" + esc(c.text(lang, "lang.switch")) + "\">";
  for (auto l : supported_languages)
    out += "<button type=\"submit\" form=\"registration\" formnovalidate name=\"switch_lang\" value=\"" +
           std::string(l) + "\" lang=\"" + std::string(l) + "\"" + (l == lang ? " aria-current=\"true\"" : "") + ">" +
           esc(c.text(l, "lang.name")) + "</button>";
  return out + "</nav>";
}

json::object script_texts(std::string_view lang) {
  auto const& c = catalog::builtin();
  json::object texts;
  for (auto const& key : c.keys(lang))
    if (key.starts_with("reason.") || key.starts_with("form.") || key.starts_with("field.")) texts[key] = c.text(lang, key);
  return texts;
}

response event_page_response(request const& req, event const& e, std::string_view lang, form_state const& st, int status) {
  page p;
  p.lang = lang;
  p.title = e.title;
  p.body = render_event_body(e, lang, st);
  if (availability(e, lang).second) {
    p.lang_switch = form_language_switch(lang);
    p.scripts = {"register.js"};
    p.data_json = json::serialize(json::object{{"texts", script_texts(lang)}});
  }
  return page_response(req, status, p);
}

}  // namespace

response not_found_page(request const& req, std::string_view lang, std::string_view message_key) {
  auto const& c = catalog::builtin();
  page p;
  p.lang = lang;
  p.title = c.text(lang, "page.not_found_title");
  p.body = "<h1>" + esc(p.title) + "</h1><p>" + esc(c.text(lang, message_key)) + "</p>";
  return page_response(req, 404, p);
}


awaitable<response> home_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto const& c = a.texts();
  std::string body = "<h1>" + esc(c.text(lang, "app.name")) + "</h1><ul class=\"events\">";
  {
    app::reader db(a);
    for (auto const& e : checkin::upcoming_events(*db, now(), 50))
      body += "<li><a dir=\"auto\" href=\"/e/" + esc(e.slug) + "\">" + esc(e.title) + "</a><br><small>" +
              esc(c.format_date(lang, e.starts_at, e.timezone)) + "</small></li>";
  }
  body += "</ul>";
  page p{lang, std::string(c.text(lang, "app.name")), body, {}, {}, {}, {}};
  co_return page_response(req, 200, p);
}

awaitable<response> event_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto e = visible_event(a, req, req.param("slug"));
  if (!e) co_return not_found_page(req, lang, "page.not_found");
  co_return event_page_response(req, *e, lang, {}, 200);
}

awaitable<response> event_form_post(request& req, app& a) {
  fields form;
  auto lang = pick_language(req);
  if (!parse_form(req.body, form)) co_return error_response(lang, http_error::bad_request);
  auto e = visible_event(a, req, req.param("slug"));
  if (!e) co_return not_found_page(req, lang, "page.not_found");
  form_state st;
  st.values = registration_from_form(form, *e);
  lang = st.values.language;
  if (!is_supported_language(lang)) lang = pick_language(req);

  // A language switch: show the same form, values kept, in the other language.
  auto sw = std::find_if(form.begin(), form.end(), [](auto const& f) { return f.first == "switch_lang"; });
  if (sw != form.end() && is_supported_language(sw->second)) {
    st.values.language = sw->second;
    auto r = event_page_response(req, *e, sw->second, st, 200);
    r.set("Set-Cookie", "lang=" + sw->second + "; Path=/; Max-Age=31536000; SameSite=Lax");
    co_return r;
  }
  if (!availability(*e, lang).second) co_return event_page_response(req, *e, lang, st, 409);
  if (auto wait = over_rate_limit(a, req, budget::registration)) {
    st.notice = a.texts().format(lang, "error.rate_limited", {{"seconds", std::to_string(*wait)}});
    auto r = event_page_response(req, *e, lang, st, 429);
    r.set("Retry-After", std::to_string(*wait));
    co_return r;
  }
  auto input = st.values;
  auto result = co_await register_person(a, *e, std::move(input));
  if (result) co_return redirect("/t/" + result->ticket_code + "?lang=" + std::string(lang));

  auto const& f = result.error();
  st.errors = f.fields;
  st.detail = f.detail;
  if (f.fields.empty()) st.notice = a.texts().text(lang, "error." + std::string(to_string(f.code)));
  // Seat counts may have changed: show the form with today's numbers.
  auto fresh = visible_event(a, req, req.param("slug"));
  co_return event_page_response(req, fresh ? *fresh : *e, lang, st, status_of(f.code));
}

awaitable<response> ticket_page(request& req, app& a) {
  std::string code(req.param("code"));
  std::optional<registration> r;
  std::optional<event> e;
  if (is_ticket_code_shape(code)) {
    app::reader db(a);
    r = find_registration(*db, code);
    if (r) e = find_event(*db, r->event_id);
  }
  std::string lang = req.query_value("lang") || req.cookie("lang") || !r ? pick_language(req) : r->language;
  if (!r || !e) co_return not_found_page(req, lang, "ticket.not_found");
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::string body = "<article class=\"ticket\"><h1>" + t("ticket.title") + "</h1>";
  // A registration waiting for its double opt-in has no valid ticket yet.
  auto status = shown_status(*r);
  std::string status_name(to_string(status));
  body += "<p class=\"status status-" + status_name + "\" role=\"status\">" + t("ticket." + status_name) + "</p>";
  std::string img = "/api/v1/tickets/" + esc(code);
  if (status == reg_status::confirmed) {
    body += "<figure class=\"qr\"><img src=\"" + img + ".svg\" alt=\"" + t("ticket.qr_alt") +
            "\" width=\"300\" height=\"300\"><figcaption>" + t("ticket.show_at_entrance") + "</figcaption></figure>";
  }
  body += "<dl class=\"facts\"><dt>" + t("ticket.name") + "</dt><dd><span dir=\"auto\">" + esc(r->first_name + " " + r->last_name) + "</span>";
  if (!r->organisation.empty()) body += "<br><small dir=\"auto\">" + esc(r->organisation) + "</small>";
  body += "</dd><dt>" + t("ticket.event") + "</dt><dd><a href=\"/e/" + esc(e->slug) + "\" dir=\"auto\">" + esc(e->title) + "</a></dd>" +
          event_facts(*e, lang) + "</dl>";
  if (!r->sessions.empty()) {
    body += "<h2>" + t("ticket.sessions") + "</h2><ul class=\"sessions\">";
    for (auto id : r->sessions)
      if (auto const* s = e->find_session(id)) {
        body += "<li><span dir=\"auto\">" + esc(s->title) + "</span>";
        if (auto when = session_time(*e, *s, lang); !when.empty()) body += "<br><small>" + esc(when) + "</small>";
        body += "</li>";
      }
    body += "</ul>";
  }
  if (status == reg_status::confirmed)
    body += "<p class=\"downloads\"><a href=\"" + img + ".svg?download=1\" download>" + t("ticket.download_svg") +
            "</a> <a href=\"" + img + ".png?download=1\" download>" + t("ticket.download_png") +
            "</a> <button type=\"button\" id=\"print\" hidden>" + t("ticket.print") + "</button></p>";
  auto url = a.link_base() + "/t/" + code;
  if (r->status != reg_status::cancelled) {
    app::reader db(a);
    body += "<p><a href=\"" + esc(manage_url(*db, "", code, e->ends_at)) + "\">" + t("ticket.manage") + "</a></p>";
  }
  body += "<section class=\"keep\"><h2>" + t("ticket.link") + "</h2><p><a class=\"ticket-link\" dir=\"ltr\" href=\"/t/" +
          esc(code) + "\">" + esc(url) + "</a></p><p class=\"hint\">" + t("ticket.link_hint") + "</p></section></article>";
  page p{lang, std::string(c.text(lang, "ticket.title")) + " – " + e->title, body, {}, {"ticket.js"}, {}, {}};
  auto resp = page_response(req, 200, p);
  resp.set("Referrer-Policy", "no-referrer");
  co_return resp;
}

awaitable<response> privacy_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto const& c = a.texts();
  std::string body = "<article><h1>" + esc(c.text(lang, "privacy.title")) + "</h1>";
  for (auto key : {"privacy.p1", "privacy.p2", "privacy.p3"}) body += "<p>" + esc(c.text(lang, key)) + "</p>";
  body += "<p class=\"hint\">" + esc(c.format(lang, "privacy.version", {{"version", privacy_notice_version}})) +
          "</p></article>";
  page p{lang, std::string(c.text(lang, "privacy.title")), body, {}, {}, {}, {}};
  co_return page_response(req, 200, p);
}

}  // namespace einlass::server
