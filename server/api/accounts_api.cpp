// Accounts: the caller, API tokens, invitations, the admin's user list and changes, and
// the caller's own logins.
#include "server/api/api.hpp"

#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/devices.hpp"
#include "checkin/mail.hpp"
#include "checkin/qr.hpp"
#include "checkin/stats.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

awaitable<response> me(request&, app& a, organiser_call& call) {
  auto& u = call.who;
  json::array tokens;
  {
    app::reader db(a);
    for (auto const& t : list_api_tokens(*db, u.id))
      tokens.push_back(json::object{{"id", t.id}, {"label", t.label}, {"created_at", to_utc_text(t.created_at)}});
  }
  co_return json_response(200, json::object{{"email", u.email}, {"role", u.role}, {"tokens", std::move(tokens)}});
}

awaitable<response> create_token(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& u = call.who;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto label = text_in(*body, "label");
  if (auto why = check_text(label, 100); !why.empty()) co_return invalid(lang, "label", why);
  std::string token;
  std::int64_t id = 0;
  co_await a.write([&](database& db) {
    auto issued = create_api_token(db, u.id, label);
    token = std::move(issued.token);
    id = issued.id;
    audit(db, u, std::nullopt, "token.create", {{"label", label}}, now());
  });
  co_return json_response(201, json::object{{"id", id}, {"label", label}, {"token", token}});
}

awaitable<response> revoke_token(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& u = call.who;
  auto id = number_of(req.param("id"));
  bool done = false;
  if (id)
    co_await a.write([&](database& db) {
      done = revoke_api_token(db, u.id, *id, now());
      if (done) audit(db, u, std::nullopt, "token.revoke", {{"token", *id}}, now());
    });
  if (!done) co_return error_response(lang, http_error::not_found);
  co_return json_response(200, json::object{{"revoked", *id}});
}

awaitable<response> create_invitation(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& u = call.who;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto& o = *body;
  auto email = text_in(o, "email");
  auto role = text_in(o, "role");
  if (role.empty()) role = "organiser";
  if (!is_plausible_email(email)) co_return invalid(lang, "email", "invalid_email");
  if (role != "organiser" && role != "admin") co_return invalid(lang, "role", "invalid_choice");
  if (role == "admin" && !u.is_admin()) co_return error_response(lang, http_error::forbidden);
  outcome<std::string> code = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    code = checkin::create_invitation(db, email, role, u.id, at);
    if (code) audit(db, u, std::nullopt, "user.invite", {{"email", email_key(email)}, {"role", role}}, at);
  });
  if (!code) co_return error_response(lang, code.error());
  co_return json_response(201, json::object{{"email", email_key(email)},
                                            {"role", role},
                                            {"url", a.link_base() + "/admin/invite/" + *code},
                                            {"expires_at", to_utc_text(now() + invitation_validity)}});
}

namespace {

json::object account_json(account_row const& row) {
  return {{"id", row.who.id},
          {"email", row.who.email},
          {"role", row.who.role},
          {"created_at", to_utc_text(row.created_at)},
          {"disabled_at", row.disabled_at ? json::value(to_utc_text(*row.disabled_at)) : json::value(nullptr)}};
}

// The one path of every account change: admins only, audited, never the last admin.
// `change` by reference: GCC 12 mishandles some by-value coroutine arguments (see server/listener.cpp).
awaitable<response> change_user(request& req, app& a, organiser_call& call, account_change const& change) {
  auto& lang = call.lang;
  auto& u = call.who;
  if (!u.is_admin()) co_return error_response(lang, http_error::forbidden);
  auto id = number_of(req.param("id"));
  outcome<account_row> changed = fail(errc::not_found);
  if (id)
    co_await a.write([&](database& db) {
      auto at = now();
      changed = change_account(db, *id, change, at);
      if (!changed) return;
      json::object detail{{"user", changed->who.email}};
      if (change.role) detail["role"] = *change.role;
      if (change.disabled) detail["disabled"] = *change.disabled;
      audit(db, u, std::nullopt, "user.change", detail, at);
    });
  if (!changed) co_return error_response(lang, changed.error());
  co_return json_response(200, account_json(*changed));
}

}  // namespace

awaitable<response> list_users(request&, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& u = call.who;
  if (!u.is_admin()) co_return error_response(lang, http_error::forbidden);
  json::array out;
  {
    app::reader db(a);
    for (auto const& row : checkin::list_users(*db)) out.push_back(account_json(row));
  }
  co_return json_response(200, json::object{{"users", std::move(out)}});
}

awaitable<response> patch_user(request& req, app& a, organiser_call& call) {
  auto body = read_object(req, call.lang);
  if (!body) co_return std::move(body).error();
  auto const& o = *body;
  account_change change;
  if (o.contains("role")) change.role = text_in(o, "role");
  if (auto const* d = o.if_contains("disabled")) {
    if (!d->is_bool()) co_return invalid(call.lang, "disabled", "invalid_type");
    change.disabled = d->as_bool();
  }
  co_return co_await change_user(req, a, call, change);
}

awaitable<response> user_action(request& req, app& a, organiser_call& call) {
  auto action = req.param("action");
  if (!call.who.is_admin()) co_return error_response(call.lang, http_error::forbidden);
  if (action == "password-reset") {
    // Without a mail server the admin hands the person the link (valid one hour).
    auto id = number_of(req.param("id"));
    std::optional<user> who;
    std::string code;
    if (id)
      co_await a.write([&](database& db) {
        if (auto row = find_account(db, *id); row && !row->disabled_at) who = row->who;
        if (!who) return;
        code = create_password_reset(db, who->id, now());
        audit(db, call.who, std::nullopt, "user.reset_link", {{"user", who->email}}, now());
      });
    if (!who) co_return error_response(call.lang, http_error::not_found);
    co_return json_response(201, json::object{{"email", who->email},
                                              {"url", a.link_base() + "/admin/reset/" + code},
                                              {"expires_at", to_utc_text(now() + password_reset_validity)}});
  }
  if (action != "disable" && action != "enable") co_return error_response(call.lang, http_error::not_found);
  co_return co_await change_user(req, a, call, account_change{action == "disable", std::nullopt});
}

awaitable<response> my_sessions(request& req, app& a, organiser_call& call) {
  auto current = req.cookie(session_cookie);
  auto current_id = current && !current->empty() ? login_session_id(*current) : std::string();
  json::array out;
  {
    app::reader db(a);
    for (auto const& s : list_login_sessions(*db, call.who.id, now()))
      out.push_back(json::object{{"id", s.id},
                                 {"created_at", to_utc_text(s.created_at)},
                                 {"expires_at", to_utc_text(s.expires_at)},
                                 {"user_agent", s.user_agent},
                                 {"address", s.address},
                                 {"current", s.id == current_id}});
  }
  co_return json_response(200, json::object{{"sessions", std::move(out)}});
}

awaitable<response> end_my_session(request& req, app& a, organiser_call& call) {
  std::string id(req.param("id"));
  bool done = false;
  if (id.size() == 16)
    co_await a.write([&](database& db) {
      done = end_login_session_by_id(db, call.who.id, id);
      if (done) audit(db, call.who, std::nullopt, "logout.remote", {{"session", id}}, now());
    });
  if (!done) co_return error_response(call.lang, http_error::not_found);
  co_return json_response(200, json::object{{"ended", id}});
}

}  // namespace einlass::server
