// The workspace's pages: sign-in, sign-out and invitations work as plain forms; the rest
// is one page whose script (web/assets/admin.js) drives the organiser API with the login
// cookie and the CSRF token handed to it in the page's data block.
#include "checkin/audit.hpp"
#include "checkin/crypto.hpp"
#include "checkin/users.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"
#include "server/pages/html.hpp"
#include "server/pages/pages.hpp"
#include "server/pages/workspace.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

std::string cookie(std::string_view name, std::string_view value, request const& req, int max_age) {
  std::string c = std::string(name) + "=" + std::string(value) +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (req.secure) c += "; Secure";
  return c;
}

namespace {

std::string workspace_lang_links(request const& req, std::string_view current) {
  auto const& c = catalog::workspace();
  std::string out = "<nav class=\"langs\">";
  for (auto l : workspace_languages) {
    out += "<a href=\"" + esc(req.path) + "?lang=" + std::string(l) + "\" lang=\"" + std::string(l) + "\"";
    if (l == current) out += " aria-current=\"true\"";
    out += ">" + esc(c.text(l, "lang.name")) + "</a>";
  }
  return out + "</nav>";
}

}  // namespace

page workspace_page(request const& req, std::string const& lang, std::string_view title_key, std::string body) {
  auto const& c = catalog::workspace();
  page p{
      lang, std::string(c.text(lang, title_key)), std::move(body), workspace_lang_links(req, lang), {}, {}, {}, {}, {},
      {}};
  p.styles.emplace_back("admin.css");
  return p;
}

std::string form_value(fields const& form, std::string_view name) {
  for (auto const& [k, v] : form)
    if (k == name) return v;
  return {};
}

std::string form_token(request const& req) {
  if (auto existing = req.cookie(login_cookie); existing && existing->size() == 32) return std::string(*existing);
  return random_token(20);
}

bool form_token_ok(request const& req, fields const& form) {
  auto expected = req.cookie(login_cookie);
  return expected && expected->size() == 32 && form_value(form, "csrf") == *expected;
}

namespace {

// Only paths inside the workspace: never an open redirect, never a control character (a
// CR or LF would end the Location header and start one of the sender's choosing).
std::string safe_next(std::string_view next) {
  bool plain = std::none_of(next.begin(), next.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (plain && (next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?")) &&
      next.find("//") == std::string_view::npos && next.find('\\') == std::string_view::npos)
    return std::string(next);
  return "/admin";
}

response login_form(request const& req, std::string const& lang, int status, std::string_view email,
                    std::string_view error_key, std::string_view next) {
  auto const& c = catalog::workspace();
  auto token = form_token(req);
  std::string body = "<section class=\"narrow\"><h1>" + esc(c.text(lang, "login.title")) + "</h1>";
  if (!error_key.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(c.text(lang, error_key)) + "</p>";
  body +=
      "<form method=\"post\" action=\"/admin/login\" class=\"stack\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"" +
      esc(token) +
      "\">"
      "<input type=\"hidden\" name=\"next\" value=\"" +
      esc(next) +
      "\">"
      "<label>" +
      esc(c.text(lang, "login.email")) +
      "<input type=\"email\" name=\"email\" autocomplete=\"username\" required value=\"" + esc(email) +
      "\"></label>"
      "<label>" +
      esc(c.text(lang, "login.password")) +
      "<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>"
      "<button type=\"submit\" class=\"primary\">" +
      esc(c.text(lang, "login.submit")) +
      "</button></form>"
      "<p><a href=\"/admin/forgot?lang=" +
      lang + "\">" + esc(c.text(lang, "forgot.link")) + "</a></p></section>";
  auto r = page_response(req, status, workspace_page(req, lang, "login.title", std::move(body)));
  r.headers.emplace_back("Set-Cookie", cookie(login_cookie, token, req, 3600));
  r.set("Cache-Control", "no-store");
  return r;
}

response invitation_form(request const& req, std::string const& lang, int status, invitation const& inv,
                         std::string_view error_key) {
  auto const& c = catalog::workspace();
  std::string body = "<section class=\"narrow\"><h1>" + esc(c.text(lang, "invite.title")) + "</h1><p>" +
                     esc(c.format(lang, "invite.intro", {{"email", inv.email}})) + "</p>";
  if (!error_key.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(c.text(lang, error_key)) + "</p>";
  body += "<form method=\"post\" class=\"stack\"><label>" + esc(c.text(lang, "invite.password")) +
          "<input type=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"10\" required></label>"
          "<button type=\"submit\" class=\"primary\">" +
          esc(c.text(lang, "invite.submit")) + "</button></form></section>";
  auto r = page_response(req, status, workspace_page(req, lang, "invite.title", std::move(body)));
  r.set("Cache-Control", "no-store");
  return r;
}

}  // namespace

awaitable<response> login_page(request& req, app& a) {
  auto lang = workspace_language(req);
  if (current_login(a, req)) co_return redirect("/admin");
  co_return login_form(req, lang, 200, "", "", safe_next(req.query_value("next").value_or("/admin")));
}

awaitable<response> login_post(request& req, app& a) {
  auto lang = workspace_language(req);
  fields form;
  if (!parse_form(req.body, form)) co_return login_form(req, lang, 400, "", "login.failed", "/admin");
  auto email = form_value(form, "email");
  auto password = form_value(form, "password");
  auto next = safe_next(form_value(form, "next"));
  if (!form_token_ok(req, form)) co_return login_form(req, lang, 403, email, "login.expired", next);
  if (auto wait = over_rate_limit(a, req, budget::sign_in)) {
    auto r = login_form(req, lang, 429, email, "login.rate_limited", next);
    r.set("Retry-After", std::to_string(*wait));
    co_return r;
  }
  std::optional<user> who;
  // Argon2id takes a tenth of a second and 64 MiB: off the I/O threads.
  co_await a.blocking(app::pool::passwords, [&] {
    app::reader db(a);
    who = check_password(*db, email, password);
  });
  if (!who) co_return login_form(req, lang, 401, email, "login.failed", next);
  login_session s;
  co_await a.write([&](database& db) {
    auto at = now();
    s = create_login_session(db, *who, at, req.header("user-agent"), req.remote);
    audit(db, *who, std::nullopt, "login", {}, at);
  });
  auto r = redirect(next);
  r.headers.emplace_back("Set-Cookie", cookie(session_cookie, s.token, req,
                                              static_cast<int>(std::chrono::seconds(login_validity).count())));
  r.headers.emplace_back("Set-Cookie", cookie(login_cookie, "", req, 0));
  co_return r;
}

awaitable<response> logout_post(request& req, app& a) {
  auto lang = workspace_language(req);
  auto login = current_login(a, req);
  if (login && !csrf_ok(req, login->csrf)) co_return error_response(lang, http_error::csrf_failed);
  if (login) {
    std::string token(*req.cookie(session_cookie));
    co_await a.write([&](database& db) {
      end_login_session(db, token);
      audit(db, login->who, std::nullopt, "logout", {}, now());
    });
  }
  auto r = redirect("/admin/login");
  r.headers.emplace_back("Set-Cookie", cookie(session_cookie, "", req, 0));
  co_return r;
}

awaitable<response> invitation_page(request& req, app& a) {
  auto lang = workspace_language(req);
  std::optional<invitation> inv;
  {
    app::reader db(a);
    inv = find_invitation(*db, req.param("code"), now());
  }
  if (!inv) {
    std::string body = "<section class=\"narrow\"><h1>" + esc(catalog::workspace().text(lang, "invite.title")) +
                       "</h1><p class=\"error\">" + esc(catalog::workspace().text(lang, "invite.invalid")) +
                       "</p></section>";
    co_return page_response(req, 404, workspace_page(req, lang, "invite.title", std::move(body)));
  }
  co_return invitation_form(req, lang, 200, *inv, "");
}

awaitable<response> invitation_post(request& req, app& a) {
  auto lang = workspace_language(req);
  if (auto wait = over_rate_limit(a, req, budget::sign_in)) co_return rate_limited(lang, *wait);
  fields form;
  std::string password;
  if (parse_form(req.body, form)) password = form_value(form, "password");
  std::string code(req.param("code"));
  std::optional<invitation> inv;
  {
    app::reader db(a);
    inv = find_invitation(*db, code, now());
  }
  if (!inv) co_return error_response(lang, http_error::not_found);
  if (auto why = check_new_password(password); !why.empty())
    co_return invitation_form(req, lang, 422, *inv, "invite." + why);
  outcome<user> made = fail(errc::not_found);
  login_session s;
  std::string hash;
  co_await a.blocking(app::pool::passwords, [&] { hash = password_hash(password); });  // Argon2id: not on the writer
  co_await a.write([&](database& db) {
    auto at = now();
    made = accept_invitation(db, code, hash, at);
    if (!made) return;
    audit(db, *made, std::nullopt, "user.join", {{"role", made->role}}, at);
    s = create_login_session(db, *made, at, req.header("user-agent"), req.remote);
  });
  if (!made && made.error().code == errc::account_exists)
    co_return invitation_form(req, lang, 409, *inv, "invite.account_exists");
  if (!made) co_return error_response(lang, made.error());
  auto r = redirect("/admin");
  r.headers.emplace_back("Set-Cookie", cookie(session_cookie, s.token, req,
                                              static_cast<int>(std::chrono::seconds(login_validity).count())));
  co_return r;
}

awaitable<response> admin_page(request& req, app& a) {
  auto lang = workspace_language(req);
  auto login = current_login(a, req);
  if (!login) co_return redirect("/admin/login?next=" + url_encode(req.path));
  auto const& c = catalog::workspace();
  json::object data{{"lang", lang},
                    {"csrf", login->csrf},
                    {"user", json::object{{"email", login->who.email}, {"role", login->who.role}}},
                    {"texts", json::parse(c.json(lang))}};
  std::string body =
      "<div id=\"app\" aria-live=\"polite\"><p class=\"hint\">" + esc(c.text(lang, "app.loading")) +
      "</p></div><noscript><p class=\"error\">" + esc(c.text(lang, "app.needs_script")) +
      "</p></noscript>"
      "<form method=\"post\" action=\"/admin/logout\" id=\"logout\"><input type=\"hidden\" name=\"csrf\" value=\"" +
      esc(login->csrf) + "\"><button type=\"submit\" class=\"link\">" + esc(c.text(lang, "nav.logout")) +
      "</button></form>";
  auto p = workspace_page(req, lang, "app.title", std::move(body));
  p.scripts.emplace_back("admin.js");
  p.data_json = json::serialize(data);
  auto r = page_response(req, 200, p);
  r.set("Cache-Control", "no-store");
  co_return r;
}

}  // namespace einlass::server
