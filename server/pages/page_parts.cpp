#include "server/pages/page_parts.hpp"

#include "server/app/app.hpp"
#include "server/app/i18n.hpp"
#include "server/pages/html.hpp"
#include "server/pages/workspace.hpp"

#include "checkin/mail.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "checkin/ticket.hpp"

#include <charconv>

namespace einlass::server {

using namespace checkin;

std::string event_facts(event const& e, std::string_view lang) {
  auto const& c = catalog::builtin();
  std::string out = "<dt>" + esc(c.text(lang, "event.when")) + "</dt><dd>" +
                    esc(c.format_range(lang, e.starts_at, e.ends_at, e.timezone)) + "</dd>";
  if (!e.venue.empty() || !e.address.empty()) {
    auto venue = e.text(text_field::venue, lang);
    auto address = e.text(text_field::address, lang);
    out += "<dt>" + esc(c.text(lang, "event.where")) + "</dt><dd>" + in_own_language(venue);
    if (!address.text.empty())
      out += std::string(venue.text.empty() ? "" : "<br>") + "<span" + lang_attrs(address) + ">" +
             esc_lines(address.text) + "</span>";
    out += "</dd>";
  }
  return out;
}

std::string session_time(event const& e, session_info const& s, std::string_view lang) {
  if (!s.starts_at) return {};
  auto const& c = catalog::builtin();
  return s.ends_at ? c.format_range(lang, *s.starts_at, *s.ends_at, e.timezone)
                   : c.format(lang, "format.datetime",
                              {{"date", c.format_date(lang, *s.starts_at, e.timezone)},
                               {"time", c.format_time(lang, *s.starts_at, e.timezone)}});
}

std::string privacy_link(std::string_view organisation_slug, std::string_view lang) {
  return (organisation_slug.empty() ? std::string("/privacy") : "/o/" + std::string(organisation_slug) + "/privacy") +
         "?lang=" + std::string(lang);
}

void frame_page(page& p, organisation const* org) {
  auto const& c = catalog::builtin();
  auto t = [&](std::string_view key) { return esc(c.text(p.lang, key)); };
  if (!org) {
    p.footer = "<a href=\"" + esc(privacy_link("", p.lang)) + "\">" + t("org.privacy") + "</a>";
    return;
  }
  std::string home = "/o/" + esc(org->slug) + "?lang=" + esc(p.lang);
  p.brand = "<a class=\"brand org\" href=\"" + home + "\">";
  if (!org->logo_type.empty())
    p.brand += "<img src=\"/o/" + esc(org->slug) + "/logo\" alt=\"\" height=\"40\">";  // the name follows
  p.brand += "<span dir=\"auto\">" + esc(org->name) + "</span></a>";
  p.footer = "<p>" + esc(c.format(p.lang, "org.by", {{"name", org->name}})) + "</p><p><a href=\"/o/" + esc(org->slug) +
             "/imprint?lang=" + esc(p.lang) + "\">" + t("org.imprint") + "</a> · <a href=\"" +
             esc(privacy_link(org->slug, p.lang)) + "\">" + t("org.privacy") + "</a> · <a href=\"" + home + "\">" +
             t("org.all_events") + "</a></p>";
}

void frame_page(page& p, app& a, event const& e) {
  std::optional<organisation> org;
  {
    app::reader db(a);
    org = organisation_of(*db, e);
  }
  frame_page(p, org ? &*org : nullptr);
}

response not_found_page(request const& req, std::string_view lang, std::string_view message_key) {
  auto const& c = catalog::builtin();
  page p;
  p.lang = lang;
  p.title = c.text(lang, "page.not_found_title");
  p.body = "<h1>" + esc(p.title) + "</h1><p>" + esc(c.text(lang, message_key)) + "</p>";
  return page_response(req, 404, p);
}

// The code from the path and expiry and signature from the query (GET) or the form (POST).
link_params read_link(request const& req, fields const& form) {
  link_params p{std::string(req.param("code")), {}, 0};
  std::string e = req.method == "POST" ? form_value(form, "e") : std::string(req.query_value("e").value_or(""));
  p.signature = req.method == "POST" ? form_value(form, "s") : std::string(req.query_value("s").value_or(""));
  std::from_chars(e.data(), e.data() + e.size(), p.expires);
  return p;
}

bool valid_link(app& a, std::string_view purpose, link_params const& p) {
  if (!is_ticket_code_shape(p.code) || p.signature.size() > 64) return false;
  app::reader db(a);
  return verify_link(*db, purpose, p.code, p.expires, p.signature, now());
}

std::string hidden_link(link_params const& p) {
  return "<input type=\"hidden\" name=\"e\" value=\"" + std::to_string(p.expires) +
         "\"><input type=\"hidden\" name=\"s\" value=\"" + esc(p.signature) + "\">";
}

ticket_holder find_holder(request const& req, app& a, std::string const& code) {
  ticket_holder h;
  if (is_ticket_code_shape(code)) {
    app::reader db(a);
    h.r = find_registration(*db, code);
    if (h.r) h.e = find_event(*db, h.r->event_id);
  }
  h.lang = h.r ? language_of(req, *h.r) : pick_language(req);
  return h;
}

std::string language_of(request const& req, registration const& r) {
  return req.query_value("lang") || req.cookie("lang") ? pick_language(req) : r.language;
}

// The registration and its event behind a valid link, or the 404 page.
reply<std::pair<registration, event>> load_link(app& a, request const& req, std::string_view purpose,
                                                link_params const& p) {
  std::optional<registration> r;
  std::optional<event> e;
  if (valid_link(a, purpose, p)) {
    app::reader db(a);
    r = find_registration(*db, p.code);
    if (r) e = find_event(*db, r->event_id);
  }
  if (!r || !e) return not_found_page(req, pick_language(req), "manage.invalid");
  return std::pair{std::move(*r), std::move(*e)};
}

response private_page(request const& req, app& a, std::string const& lang, std::string const& title, std::string body,
                      int status, event const* e) {
  page p{lang, title, std::move(body), {}, {}, {}, {}, {}, {}, {}};
  if (e) frame_page(p, a, *e);
  auto r = page_response(req, status, p);
  r.set("Referrer-Policy", "no-referrer");
  r.set("Cache-Control", "no-store");
  r.set("X-Robots-Tag", "noindex");
  return r;
}

}  // namespace einlass::server
