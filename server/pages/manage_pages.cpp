// The participant's own links from the e-mails: managing a registration (cancel, change
// sessions) and confirming one (double opt-in). Every link is signed and expires (checkin/mail);
// its signature, carried in the form, is also what guards these forms against CSRF.
#include "checkin/attendees.hpp"
#include "checkin/mail.hpp"
#include "checkin/store.hpp"
#include "checkin/ticket.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"
#include "server/pages/html.hpp"
#include "server/pages/page_parts.hpp"
#include "server/pages/pages.hpp"
#include "server/pages/workspace.hpp"

#include <charconv>

namespace einlass::server {

using namespace checkin;

namespace {

response manage_view(request const& req, app& a, link_params const& p, registration const& r, event const& e,
                     std::string const& lang, std::string_view notice_key, std::string_view error) {
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::string body = "<article><h1>" + t("manage.title") + "</h1>";
  if (!notice_key.empty()) body += "<p class=\"notice\" role=\"status\">" + t(notice_key) + "</p>";
  if (!error.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(error) + "</p>";
  auto status = std::string(to_string(shown_status(r)));
  body += "<p class=\"status status-" + esc(status) + "\">" + t("ticket." + status) + "</p>";
  body += "<dl class=\"facts\"><dt>" + t("ticket.name") + "</dt><dd><span dir=\"auto\">" +
          esc(r.first_name + " " + r.last_name) + "</span></dd><dt>" + t("ticket.event") + "</dt><dd>" +
          in_own_language(e.text(text_field::title, lang)) + "</dd>" + event_facts(e, lang) + "</dl>";
  std::string action = "/m/" + esc(p.code);
  if (r.status != reg_status::cancelled) {
    if (!e.sessions.empty()) {
      body += "<form method=\"post\" action=\"" + action + "\" class=\"form\">" + hidden_link(p) +
              "<input type=\"hidden\" name=\"action\" value=\"sessions\"><fieldset class=\"field\"><legend>" +
              t("manage.sessions") + "</legend>";
      for (auto const& s : e.sessions) {
        bool mine = std::find(r.sessions.begin(), r.sessions.end(), s.id) != r.sessions.end();
        bool full = !mine && s.seats_left() && *s.seats_left() == 0;
        body += "<label class=\"choice\"><input type=\"checkbox\" name=\"session\" value=\"" + std::to_string(s.id) +
                "\"" + (mine ? " checked" : "") + (full ? " disabled" : "") + "> " +
                in_own_language(e.text(s, text_field::title, lang));
        if (auto when = session_time(e, s, lang); !when.empty()) body += " <small>" + esc(when) + "</small>";
        if (full) body += " <small>" + t("manage.full") + "</small>";
        body += "</label>";
      }
      body += "</fieldset><button type=\"submit\">" + t("manage.save_sessions") + "</button></form>";
    }
    body += "<form method=\"post\" action=\"" + action + "\" class=\"form\">" + hidden_link(p) +
            "<input type=\"hidden\" name=\"action\" value=\"cancel\"><h2>" + t("manage.cancel_title") + "</h2><p>" +
            t("manage.cancel_hint") +
            "</p><label class=\"choice\"><input type=\"checkbox\" name=\"sure\" value=\"yes\" required> " +
            t("manage.cancel_sure") + "</label><button type=\"submit\" class=\"danger\">" + t("manage.cancel") +
            "</button></form>";
  }
  if (r.status == reg_status::confirmed && !r.confirm_by)
    body += "<p><a href=\"/t/" + esc(p.code) + "\">" + t("manage.to_ticket") + "</a></p>";
  body += "</article>";
  return private_page(req, a, lang, std::string(c.text(lang, "manage.title")), body, 200, &e);
}

}  // namespace

awaitable<response> manage_page(request& req, app& a) {
  auto p = read_link(req, {});
  auto found = load_link(a, req, "manage", p);
  if (!found) co_return std::move(found).error();
  auto& [r, e] = *found;
  auto done = req.query_value("done").value_or("");
  std::string notice = done == "cancelled" ? "manage.done_cancelled" : done == "sessions" ? "manage.done_sessions" : "";
  co_return manage_view(req, a, p, r, e, language_of(req, r), notice, "");
}

awaitable<response> manage_post(request& req, app& a) {
  fields form;
  if (!parse_form(req.body, form)) co_return not_found_page(req, pick_language(req), "manage.invalid");
  auto p = read_link(req, form);
  auto found = load_link(a, req, "manage", p);
  if (!found) co_return std::move(found).error();
  auto& loaded = *found;
  auto& r = loaded.first;
  auto& e = loaded.second;
  auto lang = language_of(req, r);
  auto action = form_value(form, "action");
  auto back = "/m/" + p.code + "?e=" + std::to_string(p.expires) + "&s=" + p.signature + "&done=";
  if (action == "cancel") {
    if (form_value(form, "sure") != "yes")
      co_return manage_view(req, a, p, r, e, lang, "", a.texts().text(lang, "manage.cancel_sure"));
    co_await a.write([&](database& db) {
      auto at = now();
      auto fresh = find_event(db, e.id).value();
      if (auto done = cancel_registration(db, fresh, r.id, at); done && done->changed)
        enqueue_mail(db, e.id, r.id, "cancelled", at);
    });
    co_return redirect(back + "cancelled");
  }
  if (action == "sessions") {
    // Everything as it is, but the sessions: the same round trip an organiser's edit makes.
    auto in = registration_from_json(registration_to_json(r)).value();
    in.sessions.clear();
    for (auto const& [k, v] : form)
      if (k == "session") {
        std::int64_t id = 0;
        std::from_chars(v.data(), v.data() + v.size(), id);
        in.sessions.push_back(id);
      }
    outcome<registration> changed = fail(errc::not_found);
    co_await a.write([&](database& db) {
      auto at = now();
      changed = update_registration(db, find_event(db, e.id).value(), r.id, in, at);
      if (changed && changed->sessions != r.sessions) enqueue_mail(db, e.id, r.id, "changed", at);
    });
    if (!changed) {
      auto const& f = changed.error();
      auto why = failure_message(lang, f);
      app::reader db(a);
      auto fresh = find_event(*db, e.id).value_or(e);
      co_return manage_view(req, a, p, r, fresh, lang, "", why);
    }
    co_return redirect(back + "sessions");
  }
  co_return not_found_page(req, lang, "manage.invalid");
}

awaitable<response> confirm_page(request& req, app& a) {
  auto p = read_link(req, {});
  auto found = load_link(a, req, "confirm", p);
  if (!found) co_return std::move(found).error();
  auto& [r, e] = *found;
  auto lang = language_of(req, r);
  if (!r.confirm_by) co_return redirect("/t/" + p.code);
  auto const& c = a.texts();
  auto t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::string body =
      "<article><h1>" + t("confirm.title") + "</h1><p>" +
      esc(c.format(lang, "confirm.intro", {{"event", std::string(e.text(text_field::title, lang).text)}})) +
      "</p><dl class=\"facts\"><dt>" + t("ticket.name") + "</dt><dd dir=\"auto\">" +
      esc(r.first_name + " " + r.last_name) + "</dd>" + event_facts(e, lang) +
      "</dl><form method=\"post\" action=\"/c/" + esc(p.code) + "\" class=\"form\">" + hidden_link(p) +
      "<button type=\"submit\" class=\"primary\">" + t("confirm.button") + "</button></form></article>";
  co_return private_page(req, a, lang, std::string(c.text(lang, "confirm.title")), body, 200, &e);
}

awaitable<response> confirm_post(request& req, app& a) {
  fields form;
  if (!parse_form(req.body, form)) co_return not_found_page(req, pick_language(req), "manage.invalid");
  auto p = read_link(req, form);
  if (!valid_link(a, "confirm", p)) co_return not_found_page(req, pick_language(req), "manage.invalid");
  outcome<std::int64_t> done = fail(errc::not_found);
  co_await a.write([&](database& db) { done = confirm_opt_in(db, p.code, now()); });
  // Confirmed now or before: either way the ticket page tells where things stand.
  co_return redirect("/t/" + p.code);
}

}  // namespace einlass::server
