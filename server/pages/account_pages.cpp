// "Forgot password": a plain form asks for the address and always answers the same; an
// enabled account gets a one-time link by mail (valid one hour), or an admin makes one in
// the workspace when there is no mail server. The link's form sets a new password, ends
// every login of the account and signs in.
#include "checkin/audit.hpp"
#include "checkin/crypto.hpp"
#include "checkin/text.hpp"
#include "checkin/users.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/mailer.hpp"
#include "server/app/requests.hpp"
#include "server/http/log.hpp"
#include "server/pages/pages.hpp"
#include "server/pages/workspace.hpp"

namespace einlass::server {

using namespace checkin;

namespace {

response with_form_cookie(response r, request const& req, std::string const& token) {
  r.headers.emplace_back("Set-Cookie", cookie(login_cookie, token, req, 3600));
  r.set("Cache-Control", "no-store");
  return r;
}

response forgot_form(request const& req, std::string const& lang, int status, std::string_view notice_key, bool sent) {
  auto const& c = catalog::workspace();
  auto token = form_token(req);
  std::string body = "<section class=\"narrow\"><h1>" + esc(c.text(lang, "forgot.title")) + "</h1>";
  if (sent) body += "<p class=\"notice\" role=\"status\">" + esc(c.text(lang, notice_key)) + "</p>";
  else if (!notice_key.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(c.text(lang, notice_key)) + "</p>";
  body += "<p>" + esc(c.text(lang, "forgot.intro")) + "</p><form method=\"post\" action=\"/admin/forgot?lang=" + lang +
          "\" class=\"stack\"><input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) + "\"><label>" +
          esc(c.text(lang, "login.email")) +
          "<input type=\"email\" name=\"email\" autocomplete=\"username\" required></label>"
          "<button type=\"submit\" class=\"primary\">" +
          esc(c.text(lang, "forgot.submit")) + "</button></form><p><a href=\"/admin/login?lang=" + lang + "\">" +
          esc(c.text(lang, "login.title")) + "</a></p></section>";
  return with_form_cookie(page_response(req, status, workspace_page(req, lang, "forgot.title", std::move(body))), req,
                          token);
}

response reset_form(request const& req, std::string const& lang, int status, user const& who,
                    std::string_view error_key) {
  auto const& c = catalog::workspace();
  auto token = form_token(req);
  std::string body = "<section class=\"narrow\"><h1>" + esc(c.text(lang, "reset.title")) + "</h1><p>" +
                     esc(c.format(lang, "reset.intro", {{"email", who.email}})) + "</p>";
  if (!error_key.empty()) body += "<p class=\"error\" role=\"alert\">" + esc(c.text(lang, error_key)) + "</p>";
  body += "<form method=\"post\" class=\"stack\"><input type=\"hidden\" name=\"csrf\" value=\"" + esc(token) +
          "\"><label>" + esc(c.text(lang, "invite.password")) +
          "<input type=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"10\" required></label>"
          "<button type=\"submit\" class=\"primary\">" +
          esc(c.text(lang, "reset.submit")) + "</button></form></section>";
  return with_form_cookie(page_response(req, status, workspace_page(req, lang, "reset.title", std::move(body))), req,
                          token);
}

response reset_invalid(request const& req, std::string const& lang) {
  auto const& c = catalog::workspace();
  std::string body = "<section class=\"narrow\"><h1>" + esc(c.text(lang, "reset.title")) + "</h1><p class=\"error\">" +
                     esc(c.text(lang, "reset.invalid")) + "</p><p><a href=\"/admin/forgot?lang=" + lang + "\">" +
                     esc(c.text(lang, "forgot.link")) + "</a></p></section>";
  return page_response(req, 404, workspace_page(req, lang, "reset.title", std::move(body)));
}

}  // namespace

awaitable<response> forgot_page(request& req, app&) {
  co_return forgot_form(req, workspace_language(req), 200, "", false);
}

awaitable<response> forgot_post(request& req, app& a) {
  auto lang = workspace_language(req);
  fields form;
  if (!parse_form(req.body, form) || !form_token_ok(req, form))
    co_return forgot_form(req, lang, 403, "login.expired", false);
  if (auto wait = over_rate_limit(a, req, budget::sign_in)) {
    auto r = forgot_form(req, lang, 429, "login.rate_limited", false);
    r.set("Retry-After", std::to_string(*wait));
    co_return r;
  }
  auto email = form_value(form, "email");
  std::optional<user> who;
  if (is_plausible_email(email)) {
    app::reader db(a);
    who = find_enabled_user(*db, email);
  }
  if (who && a.cfg().mail()) {
    std::string code;
    co_await a.write([&](database& db) {
      code = create_password_reset(db, who->id, now());
      audit(db, *who, std::nullopt, "user.reset_requested", {}, now());
    });
    auto const& c = catalog::workspace();
    auto subject = std::string(c.text(lang, "reset.mail_subject"));
    auto text =
        c.format(lang, "reset.mail_body", {{"email", who->email}, {"url", a.link_base() + "/admin/reset/" + code}});
    // Sent after the answer, so its time does not tell whether the address has an account.
    a.in_background(app::pool::passwords, [cfg = a.cfg(), to = who->email, subject, text] {
      if (auto why = send_account_mail(cfg, to, subject, text); !why.empty()) log_error("password reset mail: " + why);
    });
  }
  co_return forgot_form(req, lang, 200, "forgot.sent", true);
}

awaitable<response> reset_page(request& req, app& a) {
  auto lang = workspace_language(req);
  std::optional<user> who;
  {
    app::reader db(a);
    who = find_password_reset(*db, req.param("code"), now());
  }
  if (!who) co_return reset_invalid(req, lang);
  co_return reset_form(req, lang, 200, *who, "");
}

awaitable<response> reset_post(request& req, app& a) {
  auto lang = workspace_language(req);
  if (auto wait = over_rate_limit(a, req, budget::sign_in)) co_return rate_limited(lang, *wait);
  std::string code(req.param("code"));
  std::optional<user> who;
  {
    app::reader db(a);
    who = find_password_reset(*db, code, now());
  }
  if (!who) co_return reset_invalid(req, lang);
  fields form;
  if (!parse_form(req.body, form) || !form_token_ok(req, form))
    co_return reset_form(req, lang, 403, *who, "login.expired");
  auto password = form_value(form, "password");
  if (auto why = check_new_password(password); !why.empty())
    co_return reset_form(req, lang, 422, *who, "invite." + why);
  std::string hash;
  co_await a.blocking(app::pool::passwords, [&] { hash = password_hash(password); });
  outcome<user> done = fail(errc::not_found);
  login_session s;
  co_await a.write([&](database& db) {
    auto at = now();
    done = use_password_reset(db, code, hash, at);
    if (!done) return;
    audit(db, *done, std::nullopt, "user.password_reset", {}, at);
    s = create_login_session(db, *done, at, req.header("user-agent"), req.remote);
  });
  if (!done) co_return reset_invalid(req, lang);
  auto r = redirect("/admin");
  r.headers.emplace_back("Set-Cookie", cookie(session_cookie, s.token, req,
                                              static_cast<int>(std::chrono::seconds(login_validity).count())));
  r.headers.emplace_back("Set-Cookie", cookie(login_cookie, "", req, 0));
  co_return r;
}

}  // namespace einlass::server
