// An organisation's public pages: its upcoming events (with a calendar feed and a list other
// websites embed), its imprint, its privacy notice, and its logo.
#include "checkin/ics.hpp"
#include "checkin/organisations.hpp"
#include "server/app/app.hpp"
#include "server/app/i18n.hpp"
#include "server/app/requests.hpp"
#include "server/pages/html.hpp"
#include "server/pages/page_parts.hpp"
#include "server/pages/pages.hpp"

namespace einlass::server {

using namespace checkin;

namespace {

struct org_view {
  organisation org;
  std::vector<event> events;
};

std::optional<org_view> load(app& a, request const& req, bool with_events) {
  app::reader db(a);
  auto org = find_organisation(*db, req.param("org"));
  if (!org) return std::nullopt;
  org_view v{std::move(*org), {}};
  if (with_events) v.events = upcoming_events_of(*db, v.org.id, now(), 100);
  return v;
}

// One event in the list: its title in the reader's language, when, where, seats, and the way in.
std::string event_item(event const& e, std::string_view lang, bool new_tab) {
  auto const& c = catalog::builtin();
  auto title = e.text(text_field::title, lang);
  std::string href = "/e/" + esc(e.slug) + "?lang=" + esc(lang);
  std::string target = new_tab ? " target=\"_blank\" rel=\"noopener\"" : "";
  std::string out = "<li class=\"org-event\"><h3><a href=\"" + href + "\"" + target + lang_attrs(title) + ">" +
                    esc(title.text) + "</a></h3><p>" + esc(c.format_range(lang, e.starts_at, e.ends_at, e.timezone));
  if (auto venue = e.text(text_field::venue, lang); !venue.text.empty()) out += " · " + in_own_language(venue);
  out += "</p><p>";
  auto left = e.seats_left();
  if (left && *left == 0) out += esc(c.text(lang, e.waitlist ? "org.waitlist" : "org.full"));
  else if (left) out += esc(c.plural(lang, "event.seats_left", *left));
  if (!left || *left > 0 || e.waitlist)
    out += (left ? " · " : "") + std::string("<a href=\"") + href + "\"" + target + ">" +
           esc(c.text(lang, "org.register")) + "</a>";
  return out + "</p></li>";
}

std::string events_list(org_view const& v, std::string_view lang, bool new_tab) {
  auto const& c = catalog::builtin();
  if (v.events.empty()) return "<p>" + esc(c.text(lang, "org.none")) + "</p>";
  std::string out = "<ul class=\"org-events\">";
  for (auto const& e : v.events) out += event_item(e, lang, new_tab);
  return out + "</ul>";
}

response org_page(request const& req, organisation const& org, std::string_view lang, std::string title,
                  std::string body) {
  page p{std::string(lang), std::move(title), std::move(body), {}, {}, {}, {}, {}, {}, {}};
  frame_page(p, &org);
  return page_response(req, 200, p);
}

// A fact of the imprint as <dt>/<dd>, when given.
std::string fact(organisation const& o, std::string_view key, std::string_view lang) {
  auto v = o.detail(key);
  if (v.empty()) return {};
  auto const& c = catalog::builtin();
  std::string value = key == "email"     ? "<a href=\"mailto:" + esc(v) + "\">" + esc(v) + "</a>"
                      : key == "website" ? "<a href=\"" + esc(v) + "\" rel=\"noopener\">" + esc(v) + "</a>"
                                         : esc_lines(v);
  return "<dt>" + esc(c.text(lang, "imprint." + std::string(key))) + "</dt><dd dir=\"auto\">" + value + "</dd>";
}

// The start of the imprint's and the notice's list of facts: who provides, with its legal form.
std::string provider_facts(organisation const& o, std::string_view lang) {
  auto legal = o.detail("legal_name");
  return "<dl class=\"facts\"><dt>" + esc(catalog::builtin().text(lang, "imprint.provider")) +
         "</dt><dd dir=\"auto\">" + esc(legal.empty() ? std::string_view(o.name) : legal) + "</dd>";
}

// What the organisation added in the reader's language (or another), as paragraphs.
std::string added_text(organisation const& o, std::string_view which, std::string_view lang) {
  auto t = o.text(which, lang);
  if (t.text.empty()) return {};
  return "<div class=\"added\"" + lang_attrs(t) + "><p>" + esc_lines(t.text) + "</p></div>";
}

}  // namespace

awaitable<response> organisation_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto v = load(a, req, true);
  if (!v) co_return not_found_page(req, lang, "page.not_found");
  auto const& c = a.texts();
  std::string body = "<article class=\"organisation\"><h1 dir=\"auto\">" + esc(v->org.name) + "</h1>" +
                     added_text(v->org, "about", lang) + "<h2>" + esc(c.text(lang, "org.events_heading")) + "</h2>" +
                     events_list(*v, lang, false) + "<p><a href=\"/o/" + esc(v->org.slug) + "/events.ics\">" +
                     esc(c.text(lang, "org.subscribe")) + "</a></p></article>";
  co_return org_page(req, v->org, lang, v->org.name, std::move(body));
}

// The same list for another website: no header, neutral, links open a new tab; framable by
// anyone (frame-ancestors *), reports its height to the page around it (embed-frame.js).
awaitable<response> organisation_embed(request& req, app& a) {
  auto lang = pick_language(req);
  auto v = load(a, req, true);
  if (!v) co_return not_found_page(req, lang, "page.not_found");
  auto const& c = a.texts();
  std::string html = "<!doctype html>\n<html lang=\"" + esc(lang) + "\" dir=\"" + (is_rtl(lang) ? "rtl" : "ltr") +
                     "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
                     "initial-scale=1\"><title>" +
                     esc(c.format(lang, "org.events_of", {{"name", v->org.name}})) +
                     "</title><link rel=\"stylesheet\" href=\"/assets/embed.css\"><script type=\"module\" "
                     "src=\"/assets/embed-frame.js\"></script></head><body><main>" +
                     events_list(*v, lang, true) + "<p class=\"by\"><a href=\"/o/" + esc(v->org.slug) +
                     "/imprint?lang=" + esc(lang) + "\" target=\"_blank\" rel=\"noopener\">" +
                     esc(c.text(lang, "org.imprint")) + "</a> · <a href=\"" + esc(privacy_link(v->org.slug, lang)) +
                     "\" target=\"_blank\" rel=\"noopener\">" + esc(c.text(lang, "org.privacy")) +
                     "</a></p></main></body></html>\n";
  auto r = html_response(200, std::move(html));
  r.set("Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors *");
  r.set("Content-Language", lang);
  co_return r;
}

awaitable<response> organisation_feed(request& req, app& a) {
  auto lang = pick_language(req);
  auto v = load(a, req, true);
  if (!v) co_return not_found_page(req, lang, "page.not_found");
  std::vector<calendar_item> items;
  for (auto const& e : v->events)
    items.push_back({&e,
                     {"event-" + e.slug + "@" + v->org.slug + ".einlass", "", a.link_base() + "/e/" + e.slug, now(),
                      std::string(req.query_value("lang").value_or(""))}});
  response r;
  r.body = events_ics(items, v->org.name);
  r.set("Content-Type", "text/calendar; charset=utf-8");
  r.set("Content-Disposition", attachment(v->org.slug + ".ics"));
  co_return r;
}

awaitable<response> organisation_imprint(request& req, app& a) {
  auto lang = pick_language(req);
  auto v = load(a, req, false);
  if (!v) co_return not_found_page(req, lang, "page.not_found");
  auto const& o = v->org;
  auto const& c = a.texts();
  std::string body = "<article><h1>" + esc(c.text(lang, "org.imprint")) + "</h1>" + provider_facts(o, lang);
  for (auto key : {"address", "representative", "email", "phone", "website", "register", "vat_id"})
    body += fact(o, key, lang);
  body += "</dl>" + added_text(o, "imprint", lang);
  if (o.detail("address").empty() || o.detail("representative").empty() || o.detail("email").empty())
    body += "<p class=\"notice\">" + esc(c.text(lang, "imprint.incomplete")) + "</p>";
  co_return org_page(req, o, lang, std::string(c.text(lang, "org.imprint")), body + "</article>");
}

// The notice of GDPR Art. 13: the template in the reader's language, filled with the
// organisation's facts, and what the organisation added; its version is what consents store.
awaitable<response> organisation_privacy(request& req, app& a) {
  auto lang = pick_language(req);
  auto v = load(a, req, false);
  if (!v) co_return not_found_page(req, lang, "page.not_found");
  auto const& o = v->org;
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::string body = "<article class=\"notice-text\"><h1>" + t("privacy.title") + "</h1><h2>" +
                     t("privacy.org.controller") + "</h2>" + provider_facts(o, lang);
  for (auto key : {"address", "email", "phone"}) body += fact(o, key, lang);
  body += "</dl>";
  if (!o.detail("dpo").empty())
    body += "<h2>" + t("privacy.org.dpo") + "</h2><p dir=\"auto\">" + esc_lines(o.detail("dpo")) + "</p>";
  for (auto part : {"purposes", "recipients", "retention", "rights"})
    body += "<h2>" + t("privacy.org." + std::string(part) + "_heading") + "</h2><p>" +
            t("privacy.org." + std::string(part)) + "</p>";
  if (!o.detail("authority").empty())
    body += "<p>" + t("privacy.org.authority") + "</p><p dir=\"auto\">" + esc_lines(o.detail("authority")) + "</p>";
  if (auto more = added_text(o, "privacy", lang); !more.empty())
    body += "<h2>" + t("privacy.org.more_heading") + "</h2>" + more;
  body += "<p class=\"hint\">" + esc(c.format(lang, "privacy.version", {{"version", o.consent_version()}})) +
          "</p></article>";
  co_return org_page(req, o, lang, std::string(c.text(lang, "privacy.title")), std::move(body));
}

// The uploaded logo, as an image only (image_response).
awaitable<response> organisation_logo_file(request& req, app& a) {
  std::optional<uploaded_image> l;
  {
    app::reader db(a);
    l = organisation_logo(*db, req.param("org"));
  }
  if (!l) co_return not_found_page(req, pick_language(req), "page.not_found");
  co_return image_response(l->type, std::move(l->bytes), "public, max-age=300");
}

}  // namespace einlass::server
