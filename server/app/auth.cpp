#include "server/app/auth.hpp"

#include "checkin/store.hpp"
#include "checkin/time.hpp"
#include "server/app/errors.hpp"

namespace einlass::server {

namespace {

bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

bool is_safe_method(std::string_view method) { return method == "GET" || method == "HEAD"; }

bool is_loopback(std::string_view address) {
  if (address.starts_with("::ffff:")) address.remove_prefix(7);
  return address == "::1" || address.starts_with("127.");
}

bool may_read_metrics(app const& a, request const& req) {
  if (is_loopback(req.remote)) return true;
  auto const& token = a.cfg().metrics_token;
  return !token.empty() && same_secret(req.bearer(), token);
}

bool csrf_ok(request const& req, std::string_view expected) {
  if (same_secret(req.header("x-csrf-token"), expected)) return true;
  if (req.header("content-type").starts_with("application/x-www-form-urlencoded")) {
    fields form;
    if (parse_form(req.body, form))
      for (auto const& [k, v] : form)
        if (k == "csrf") return same_secret(v, expected);
  }
  return false;
}

std::optional<checkin::login_session> current_login(app& a, request const& req) {
  auto cookie = req.cookie(session_cookie);
  if (!cookie || cookie->empty()) return std::nullopt;
  app::reader db(a);
  return checkin::find_login_session(*db, *cookie, checkin::now());
}

reply<checkin::user> require_organiser(app& a, request const& req, std::string_view lang) {
  auto token = req.bearer();
  if (token.empty()) {
    // A browser: the login cookie, and for anything that changes something the CSRF token
    // that only our own pages know.
    auto login = current_login(a, req);
    if (!login) return error_response(lang, http_error::unauthorized);
    if (!is_safe_method(req.method) && !csrf_ok(req, login->csrf)) return error_response(lang, http_error::csrf_failed);
    return login->who;
  }
  app::reader db(a);
  if (auto u = checkin::user_by_token(*db, token)) return *u;
  if (checkin::is_device_token(*db, token)) return error_response(lang, http_error::forbidden);
  return error_response(lang, http_error::unauthorized);
}

reply<checkin::device> require_device(app& a, request const& req, std::string_view lang) {
  auto token = req.bearer();
  if (token.empty()) return error_response(lang, http_error::unauthorized);
  app::reader db(a);
  if (auto d = checkin::device_by_token(*db, token)) return *d;
  if (checkin::user_by_token(*db, token)) return error_response(lang, http_error::forbidden);
  return error_response(lang, http_error::unauthorized);
}

reply<managed_event> require_managed_event(app& a, request const& req, std::string_view lang, std::string_view slug) {
  auto who = require_organiser(a, req, lang);
  if (!who) return std::move(who).error();
  auto const& u = *who;
  app::reader db(a);
  auto e = checkin::find_event(*db, slug);
  if (!e) return error_response(lang, http_error::not_found);
  if (!checkin::can_manage(*db, u, *e)) return error_response(lang, http_error::forbidden);
  return managed_event{u, std::move(*e)};
}

namespace {

awaitable<response> call_for_event(event_handler h, request& req, app& a) {
  auto lang = pick_language(req);
  auto me = require_managed_event(a, req, lang, req.param("slug"));
  if (!me) co_return std::move(me).error();
  auto& m = *me;
  event_call call{std::move(lang), std::move(m.user), std::move(m.event)};
  co_return co_await h(req, a, call);
}

awaitable<response> call_for_organiser(organiser_handler h, request& req, app& a) {
  auto lang = pick_language(req);
  auto who = require_organiser(a, req, lang);
  if (!who) co_return std::move(who).error();
  organiser_call call{std::move(lang), std::move(*who)};
  co_return co_await h(req, a, call);
}

awaitable<response> call_for_organisation(organisation_handler h, request& req, app& a) {
  auto lang = pick_language(req);
  auto who = require_organiser(a, req, lang);
  if (!who) co_return std::move(who).error();
  std::optional<checkin::organisation> org;
  bool member = false;
  {
    app::reader db(a);
    org = checkin::find_organisation(*db, req.param("org"));
    member = org && (who->is_admin() || checkin::is_member(*db, org->id, who->id));
  }
  if (!org) co_return error_response(lang, http_error::not_found);
  if (!member) co_return error_response(lang, http_error::forbidden);
  organisation_call call{std::move(lang), std::move(*who), std::move(*org)};
  co_return co_await h(req, a, call);
}

awaitable<response> call_for_device(device_handler h, request& req, app& a) {
  auto lang = pick_language(req);
  auto dev = require_device(a, req, lang);
  if (!dev) co_return std::move(dev).error();
  device_call call{std::move(lang), std::move(*dev)};
  co_return co_await h(req, a, call);
}

}  // namespace

std::function<awaitable<response>(request&, app&)> for_device(device_handler h) {
  return [h](request& req, app& a) { return call_for_device(h, req, a); };
}

std::function<awaitable<response>(request&, app&)> for_organiser(organiser_handler h) {
  return [h](request& req, app& a) { return call_for_organiser(h, req, a); };
}

std::function<awaitable<response>(request&, app&)> for_organisation(organisation_handler h) {
  return [h](request& req, app& a) { return call_for_organisation(h, req, a); };
}

std::function<awaitable<response>(request&, app&)> for_event(event_handler h) {
  return [h](request& req, app& a) { return call_for_event(h, req, a); };
}

}  // namespace einlass::server
