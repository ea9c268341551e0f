// The participant's pages: event and registration form (/e/{slug}), ticket (/t/{code}),
// privacy notice, and the start page. They work as plain HTML forms; web/assets/register.js
// makes them quicker when JavaScript runs.
#include "server/pages/pages.hpp"
#include "checkin/certificates.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/app/errors.hpp"
#include "server/app/mailer.hpp"
#include "server/app/requests.hpp"
#include "server/app/ticket_pdf.hpp"
#include "server/pages/event_form.hpp"
#include "server/pages/html.hpp"
#include "server/pages/page_parts.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

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
    if (key.starts_with("reason.") || key.starts_with("form.") || key.starts_with("field."))
      texts[key] = c.text(lang, key);
  return texts;
}

response event_page_response(request const& req, app& a, event const& e, std::string_view lang, form_state const& st,
                             int status) {
  page p;
  p.lang = lang;
  p.title = e.text(checkin::text_field::title, lang).text;
  p.body = render_event_body(e, lang, st);
  if (availability(e, lang).second) p.lang_switch = form_language_switch(lang);
  if (e.status == "published") {  // the form, or once it has closed the ticket sent again
    p.scripts = {"register.js"};
    p.data_json = json::serialize(json::object{{"texts", script_texts(lang)}});
  }
  frame_page(p, a, e);
  return page_response(req, status, p);
}

}  // namespace

awaitable<response> home_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto const& c = a.texts();
  std::string body = "<h1>" + esc(c.text(lang, "app.name")) + "</h1><ul class=\"events\">";
  {
    app::reader db(a);
    for (auto const& e : checkin::upcoming_events(*db, now(), 50)) {
      auto title = checkin::in_language(e.title, e.texts, checkin::text_field::title, lang, e.language);
      body += "<li><a href=\"/e/" + esc(e.slug) + "\"" + lang_attrs(title) + ">" + esc(title.text) + "</a><br><small>" +
              esc(c.format_date(lang, e.starts_at, e.timezone)) + "</small></li>";
    }
  }
  body += "</ul>";
  page p{lang, std::string(c.text(lang, "app.name")), body, {}, {}, {}, {}, {}, {}, {}};
  frame_page(p, nullptr);
  co_return page_response(req, 200, p);
}

awaitable<response> event_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto e = visible_event(a, req, req.param("slug"));
  if (!e) co_return not_found_page(req, lang, "page.not_found");
  co_return event_page_response(req, a, *e, lang, {}, 200);
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
    auto r = event_page_response(req, a, *e, sw->second, st, 200);
    r.set("Set-Cookie", "lang=" + sw->second + "; Path=/; Max-Age=31536000; SameSite=Lax");
    co_return r;
  }
  if (!availability(*e, lang).second) co_return event_page_response(req, a, *e, lang, st, 409);
  if (auto wait = over_rate_limit(a, req, budget::registration)) {
    st.notice = a.texts().format(lang, "error.rate_limited", {{"seconds", std::to_string(*wait)}});
    auto r = event_page_response(req, a, *e, lang, st, 429);
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
  co_return event_page_response(req, a, fresh ? *fresh : *e, lang, st, status_of(f.code));
}

namespace {

// The ticket as a PDF, made on the downloads pool: only a confirmed ticket has a code to show.
awaitable<response> ticket_pdf_response(request const& req, app& a, event const& e, registration const& r,
                                        std::string const& lang) {
  if (shown_status(r) != reg_status::confirmed) co_return not_found_page(req, lang, "ticket.not_found");
  bool small = req.query_value("size").value_or("") == "a6";
  std::optional<organisation> org;
  std::optional<uploaded_image> org_logo;
  {
    app::reader db(a);
    org = organisation_of(*db, e);
    if (org) org_logo = organisation_logo(*db, org->slug);
  }
  response out;
  co_await a.blocking(app::pool::downloads, [&] {
    ticket_document t{e, r, org ? &*org : nullptr, org_logo, lang, a.link_base() + "/t/" + r.ticket_code};
    out.body = ticket_pdf(t, small ? pdf::a6 : pdf::a4);
  });
  out.set("Content-Type", "application/pdf");
  out.set("Content-Disposition", attachment(e.slug + (small ? "-ticket-a6.pdf" : "-ticket.pdf")));
  out.set("Referrer-Policy", "no-referrer");
  out.set("Cache-Control", "no-store");
  co_return out;
}

}  // namespace

awaitable<response> ticket_page(request& req, app& a) {
  std::string code(req.param("code"));
  // /t/{code}.ics: the event for the holder's calendar; /t/{code}.pdf[?size=a6]: the ticket to print.
  bool calendar = code.ends_with(".ics"), printable = code.ends_with(".pdf");
  if (calendar || printable) code.resize(code.size() - 4);
  auto holder = find_holder(req, a, code);
  auto const& r = holder.r;
  auto const& e = holder.e;
  auto const& lang = holder.lang;
  if (!r || !e || (calendar && r->status == reg_status::cancelled))
    co_return not_found_page(req, lang, "ticket.not_found");
  if (calendar) {
    response ics;
    ics.body = ticket_ics(*e, *r, a.link_base() + "/t/" + code, lang);
    ics.set("Content-Type", "text/calendar; charset=utf-8");
    ics.set("Content-Disposition", attachment(e->slug + ".ics"));
    ics.set("Referrer-Policy", "no-referrer");
    co_return ics;
  }
  if (printable) co_return co_await ticket_pdf_response(req, a, *e, *r, lang);
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
  body += "<dl class=\"facts\"><dt>" + t("ticket.name") + "</dt><dd><span dir=\"auto\">" +
          esc(r->first_name + " " + r->last_name) + "</span>";
  if (!r->organisation.empty()) body += "<br><small dir=\"auto\">" + esc(r->organisation) + "</small>";
  auto title = e->text(checkin::text_field::title, lang);
  body += "</dd><dt>" + t("ticket.event") + "</dt><dd><a href=\"/e/" + esc(e->slug) + "?lang=" + esc(lang) + "\"" +
          lang_attrs(title) + ">" + esc(title.text) + "</a></dd>" + event_facts(*e, lang) + "</dl>";
  if (!r->sessions.empty()) {
    body += "<h2>" + t("ticket.sessions") + "</h2><ul class=\"sessions\">";
    for (auto id : r->sessions)
      if (auto const* s = e->find_session(id)) {
        body += "<li>" + in_own_language(e->text(*s, checkin::text_field::title, lang));
        if (auto when = session_time(*e, *s, lang); !when.empty()) body += "<br><small>" + esc(when) + "</small>";
        body += "</li>";
      }
    body += "</ul>";
  }
  if (status == reg_status::confirmed)
    body += "<p class=\"downloads\"><a href=\"" + img + ".svg?download=1\" download>" + t("ticket.download_svg") +
            "</a> <a href=\"" + img + ".png?download=1\" download>" + t("ticket.download_png") + "</a> <a href=\"/t/" +
            esc(code) + ".pdf?lang=" + esc(lang) + "\" download>" + t("ticket.pdf_a4") + "</a> <a href=\"/t/" +
            esc(code) + ".pdf?size=a6&amp;lang=" + esc(lang) + "\" download>" + t("ticket.pdf_a6") +
            "</a> <button type=\"button\" id=\"print\" hidden>" + t("ticket.print") + "</button></p>";
  auto url = a.link_base() + "/t/" + code;
  if (e->papers.certificates) {
    app::reader db(a);
    if (was_admitted(*db, r->id))
      body += "<p><a href=\"/t/" + esc(code) + "/certificate.pdf?lang=" + esc(lang) + "\" download>" +
              t("ticket.certificate") + "</a></p>";
  }
  if (r->status != reg_status::cancelled) {
    app::reader db(a);
    body += "<p><a href=\"/t/" + esc(code) + ".ics\" download>" + t("ticket.add_to_calendar") + "</a></p>";
    body += "<p><a href=\"" + esc(manage_url(*db, "", code, e->ends_at)) + "\">" + t("ticket.manage") + "</a></p>";
  }
  body += "<section class=\"keep\"><h2>" + t("ticket.link") +
          "</h2><p><a class=\"ticket-link\" dir=\"ltr\" href=\"/t/" + esc(code) + "\">" + esc(url) +
          "</a></p><p class=\"hint\">" + t("ticket.link_hint") + "</p></section></article>";
  page p{lang,
         std::string(c.text(lang, "ticket.title")) + " – " + std::string(title.text),
         body,
         {},
         {"ticket.js"},
         {},
         {},
         {},
         {},
         {}};
  frame_page(p, a, *e);
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
  page p{lang, std::string(c.text(lang, "privacy.title")), body, {}, {}, {}, {}, {}, {}, {}};
  frame_page(p, nullptr);
  co_return page_response(req, 200, p);
}

}  // namespace einlass::server
