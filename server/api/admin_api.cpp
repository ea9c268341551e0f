// The organiser's API: events, attendees, devices, accounts and the audit log. Every change
// is written with its audit entry in one transaction on the writer.
#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/devices.hpp"
#include "checkin/mail.hpp"
#include "checkin/qr.hpp"
#include "checkin/stats.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/api/api.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

std::optional<std::int64_t> number_of(std::string_view s) {
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || n < 0) return std::nullopt;
  return n;
}

std::string text_in(json::object const& o, std::string_view key) {
  auto const* v = o.if_contains(key);
  return v && v->is_string() ? std::string(trim(v->get_string())) : std::string();
}

response invalid(std::string_view lang, std::string field, std::string reason) {
  return error_response(lang, failure{errc::invalid_field, {{std::move(field), std::move(reason)}}, {}});
}

// The JSON object body, or the error response.
reply<json::object> read_object(request const& req, std::string_view lang) {
  auto body = read_json(req, lang);
  if (!body) return std::move(body).error();
  auto& v = *body;
  if (!v.is_object()) return invalid(lang, "body", "invalid_type");
  return std::move(v.get_object());
}

json::object summary_json(event_summary const& s) {
  return {{"id", s.id},
          {"slug", s.slug},
          {"title", s.title},
          {"starts_at", to_iso8601(s.starts_at, s.timezone)},
          {"ends_at", to_iso8601(s.ends_at, s.timezone)},
          {"timezone", s.timezone},
          {"venue", s.venue},
          {"status", s.status},
          {"capacity", s.capacity ? json::value(*s.capacity) : json::value(nullptr)},
          {"confirmed", s.confirmed},
          {"waitlisted", s.waitlisted},
          {"cancelled", s.cancelled},
          {"checked_in", s.checked_in}};
}

json::object pairing_json(app& a, std::string const& code) {
  auto url = a.link_base() + "/checkin/pair/" + code;
  return {{"pairing_code", code}, {"pairing_url", url}, {"pairing_qr_svg", qr_svg(make_qr(url))}};
}

}  // namespace

// ---- Events ----

awaitable<response> list_events(request&, app& a, organiser_call& call) {
  auto& u = call.who;
  json::array out;
  {
    app::reader db(a);
    for (auto const& s : checkin::list_events(*db, {u.is_admin(), u.id})) out.push_back(summary_json(s));
  }
  co_return json_response(200, json::object{{"events", std::move(out)}});
}

awaitable<response> patch_event(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto& changes = *body;
  // A partial update: what is sent replaces what is there; the whole is then checked as one.
  auto merged = event_to_json(e, true);
  json::array changed;
  for (auto const& [k, v] : changes) {
    merged[k] = v;
    changed.emplace_back(k);
  }
  auto next = event_from_json(merged);
  if (!next) co_return error_response(lang, next.error());
  outcome<event> updated = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    updated = update_event(db, e, std::move(*next));
    if (!updated) return;
    auto promoted = promote_waitlisted(db, *updated, at);
    audit(db, who, e.id, "event.update", {{"fields", changed}, {"promoted", promoted.size()}}, at);
    updated = find_event(db, e.id).value();
  });
  if (!updated) co_return error_response(lang, updated.error());
  co_return json_response(200, event_to_json(*updated, true));
}

awaitable<response> duplicate_event(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto& o = *body;
  std::vector<field_error> errors;
  auto slug = text_in(o, "slug");
  if (slug.empty()) errors.push_back({"slug", "required"});
  else if (!is_valid_slug(slug)) errors.push_back({"slug", "invalid_slug"});
  auto title = text_in(o, "title");
  if (title.empty()) title = e.title;
  else if (auto why = check_text(title, 200); !why.empty()) errors.push_back({"title", why});
  auto starts_text = text_in(o, "starts_at");
  auto starts = starts_text.empty() ? std::optional(e.starts_at) : parse_iso8601(starts_text, e.timezone);
  if (!starts) errors.push_back({"starts_at", "invalid_time"});
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  outcome<event> copy = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    copy = checkin::duplicate_event(db, e, slug, title, *starts, who.id, at);
    if (copy) audit(db, who, copy->id, "event.duplicate", {{"from", e.slug}}, at);
  });
  if (!copy) co_return error_response(lang, copy.error());
  auto r = json_response(201, event_to_json(*copy, true));
  r.set("Location", "/api/v1/events/" + copy->slug);
  co_return r;
}

awaitable<response> share_event(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto email = text_in(*body, "email");
  std::optional<user> other;
  {
    app::reader db(a);
    other = find_user(*db, email);
  }
  if (!other) co_return invalid(lang, "email", "unknown_user");
  co_await a.write([&](database& db) {
    grant_event(db, e.id, other->id);
    audit(db, who, e.id, "event.share", {{"with", other->email}}, now());
  });
  co_return json_response(200, json::object{{"shared_with", other->email}});
}

awaitable<response> event_stats(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  int bucket = 15;
  if (auto b = req.query_value("bucket")) {
    auto n = number_of(*b);
    if (!n || *n < 1 || *n > 1440) co_return invalid(lang, "bucket", "invalid_number");
    bucket = static_cast<int>(*n);
  }
  json::object out;
  {
    app::reader db(a);
    out = stats_to_json(compute_stats(*db, e, bucket), e.timezone);
  }
  out["event"] = e.slug;
  out["generated_at"] = to_iso8601(now(), e.timezone);
  co_return json_response(200, out);
}

awaitable<response> event_audit(request& req, app& a, event_call& call) {
  auto& e = call.event;
  std::optional<std::int64_t> before;
  if (auto b = req.query_value("before")) before = number_of(*b);
  json::array out;
  {
    app::reader db(a);
    for (auto const& entry : audit_entries(*db, e.id, 100, before)) out.push_back(audit_to_json(entry, e.timezone));
  }
  co_return json_response(200, json::object{{"entries", std::move(out)}});
}

awaitable<response> event_mails(request&, app& a, event_call& call) {
  auto& e = call.event;
  json::array out;
  {
    app::reader db(a);
    for (auto const& m : mails_of_event(*db, e.id, 500)) out.push_back(mail_to_json(m, e.timezone));
  }
  co_return json_response(200, json::object{{"mails", std::move(out)}, {"sending", a.cfg().mail()}});
}

// ---- Attendees ----

awaitable<response> list_attendees(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& e = call.event;
  attendee_filter f;
  if (auto s = req.query_value("status"); s && !s->empty()) {
    f.status = reg_status_from_string(*s);
    if (!f.status || *f.status == reg_status::unconfirmed) co_return invalid(lang, "status", "invalid_choice");
  }
  if (auto s = req.query_value("session"); s && !s->empty()) {
    f.session_id = number_of(*s);
    if (!f.session_id || !e.find_session(*f.session_id)) co_return invalid(lang, "session", "unknown_session");
  }
  if (auto s = req.query_value("organisation_type"); s && !s->empty()) f.organisation_type = std::string(*s);
  if (auto s = req.query_value("checked_in"); s && !s->empty()) {
    if (*s != "yes" && *s != "no") co_return invalid(lang, "checked_in", "invalid_choice");
    f.checked_in = *s == "yes";
  }
  if (auto s = req.query_value("q")) f.q = std::string(*s);
  if (auto s = req.query_value("limit")) {
    auto n = number_of(*s);
    if (!n || *n < 1 || *n > 1000) co_return invalid(lang, "limit", "invalid_number");
    f.limit = static_cast<int>(*n);
  }
  if (auto s = req.query_value("offset")) {
    auto n = number_of(*s);
    if (!n || *n > (1 << 30)) co_return invalid(lang, "offset", "invalid_number");
    f.offset = static_cast<int>(*n);
  }
  json::object out;
  {
    app::reader db(a);
    auto page = checkin::list_attendees(*db, e.id, f);
    std::vector<std::int64_t> ids;
    for (auto const& row : page.rows) ids.push_back(row.reg.id);
    auto mails = mails_of_registrations(*db, ids);
    json::array rows;
    for (auto const& row : page.rows) {
      auto o = attendee_to_json(row, e.timezone);
      json::array list;
      for (auto const& m : mails[row.reg.id]) list.push_back(mail_to_json(m, e.timezone));
      o["mails"] = std::move(list);
      rows.push_back(std::move(o));
    }
    out = {{"total", page.total}, {"limit", f.limit}, {"offset", f.offset}, {"attendees", std::move(rows)}};
  }
  co_return json_response(200, out);
}

awaitable<response> get_attendee(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  std::optional<json::object> data;
  if (id) {
    app::reader db(a);
    data = person_data(*db, e, *id);
  }
  if (!data) co_return error_response(lang, http_error::not_found);
  auto r = json_response(200, *data);
  if (req.query_value("download")) {
    // A copy of someone's personal data leaves the system: that is recorded.
    co_await a.write([&](database& db) { audit(db, who, e.id, "attendee.export", {{"registration", *id}}, now()); });
    r.set("Content-Disposition", "attachment; filename=\"registration-" + std::to_string(*id) + ".json\"");
  }
  co_return r;
}

awaitable<response> patch_attendee(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  if (!id) co_return error_response(lang, http_error::not_found);
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  std::optional<registration> current;
  {
    app::reader db(a);
    current = find_registration(*db, e.id, *id);
  }
  if (!current) co_return error_response(lang, http_error::not_found);
  auto merged = registration_to_json(*current);
  json::array changed;
  for (auto const& [k, v] : *body) {
    merged[k] = v;
    changed.emplace_back(k);
  }
  auto in = registration_from_json(merged);
  if (!in) co_return error_response(lang, in.error());
  outcome<registration> updated = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    updated = update_registration(db, e, *id, std::move(*in), at);
    if (!updated) return;
    audit(db, who, e.id, "attendee.update", {{"registration", *id}, {"fields", changed}}, at);
    // Other working groups: the participant hears of it, as when they change them themselves
    // (unless the change moved them up from the waiting list: that mail, with the ticket, is queued).
    auto before = current->sessions, after = updated->sessions;
    std::ranges::sort(before);
    std::ranges::sort(after);
    if (before != after && updated->status == current->status && updated->status != reg_status::cancelled)
      enqueue_mail(db, e.id, *id, "changed", at);
  });
  if (!updated) co_return error_response(lang, updated.error());
  co_return json_response(200, registration_to_json(*updated));
}

awaitable<response> attendee_action(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  std::string action(req.param("action"));
  if (!id || (action != "cancel" && action != "restore" && action != "confirm" && action != "anonymise" &&
              action != "resend"))
    co_return error_response(lang, http_error::not_found);
  outcome<status_change> done = fail(errc::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    // The participant hears of each change an organiser makes, as of their own: the
    // cancellation, the ticket again (or the waiting-list notice) after a restore, the ticket
    // when moved up from the waiting list by hand.
    if (action == "cancel") {
      done = cancel_registration(db, e, *id, at);
      if (done && done->changed) enqueue_mail(db, e.id, *id, "cancelled", at);
    } else if (action == "restore") {
      done = restore_registration(db, e, *id, at);
      if (done && done->changed) enqueue_mail(db, e.id, *id, standing_mail_kind(done->reg.confirm_by, done->reg.status), at);
    } else if (action == "confirm") {
      done = confirm_waitlisted(db, e, *id, at);
      if (done && done->changed) enqueue_mail(db, e.id, *id, "promoted", at);
    } else if (action == "resend") {
      // The mail that fits where the registration stands now.
      if (auto r = find_registration(db, e.id, *id); r && r->status != reg_status::cancelled && !r->email.empty()) {
        enqueue_mail(db, e.id, *id, standing_mail_kind(r->confirm_by, r->status), at);
        done = status_change{std::move(*r), {}};
      } else if (r) {
        done = fail(errc::invalid_field, "email", "required");
      }
    }
    else if (anonymise_registration(db, e.id, *id, at)) done = status_change{find_registration(db, e.id, *id).value(), {}};
    if (!done) return;
    json::array promoted;
    for (auto p : done->promoted) promoted.emplace_back(p);
    audit(db, who, e.id, "attendee." + action, {{"registration", *id}, {"promoted", promoted}}, at);
  });
  if (!done) co_return error_response(lang, done.error());
  auto out = registration_to_json(done->reg);
  json::array promoted;
  for (auto p : done->promoted) promoted.emplace_back(p);
  out["promoted"] = std::move(promoted);
  co_return json_response(200, out);
}

// ---- Devices ----

awaitable<response> rename_device(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto name = text_in(*body, "name");
  outcome<device> renamed = fail(errc::not_found);
  if (id)
    co_await a.write([&](database& db) {
      renamed = checkin::rename_device(db, e.id, *id, name);
      if (renamed) audit(db, who, e.id, "device.rename", {{"device", *id}, {"name", name}}, now());
    });
  if (!renamed) co_return error_response(lang, renamed.error());
  co_return json_response(200, device_to_json(*renamed, e.timezone));
}

awaitable<response> renew_pairing(request& req, app& a, event_call& call) {
  auto& lang = call.lang;
  auto& who = call.who;
  auto& e = call.event;
  auto id = number_of(req.param("id"));
  outcome<std::string> code = fail(errc::not_found);
  if (id)
    co_await a.write([&](database& db) {
      code = checkin::renew_pairing(db, e.id, *id, now());
      if (code) audit(db, who, e.id, "device.pairing", {{"device", *id}}, now());
    });
  if (!code) co_return error_response(lang, code.error());
  co_return json_response(200, pairing_json(a, *code));
}

// ---- Accounts ----

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
    token = create_api_token(db, u.id, label);
    id = db.last_insert_rowid();
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

awaitable<response> list_event_organisers(request&, app& a, event_call& call) {
  json::array out;
  {
    app::reader db(a);
    for (auto const& o : event_organisers(*db, call.event))
      out.push_back(json::object{{"id", o.id}, {"email", o.email}, {"owner", o.owner}});
  }
  co_return json_response(200, json::object{{"organisers", std::move(out)}});
}

awaitable<response> unshare_event(request& req, app& a, event_call& call) {
  auto id = number_of(req.param("user_id"));
  bool done = false;
  if (id)
    co_await a.write([&](database& db) {
      done = revoke_event_access(db, call.event.id, *id);
      if (done) audit(db, call.who, call.event.id, "event.unshare", {{"user", *id}}, now());
    });
  if (!done) co_return error_response(call.lang, http_error::not_found);
  co_return json_response(200, json::object{{"removed", *id}});
}

}  // namespace einlass::server
