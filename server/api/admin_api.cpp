// The organiser's events: list, change, duplicate, share, statistics, audit log and mails,
// those the event is shared with, and its door devices' names and pairing codes. Every
// change is written with its audit entry in one transaction on the writer.
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
#include "server/app/i18n.hpp"
#include "server/app/mailer.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

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
  if (next->organisation != e.organisation)
    if (auto refused = settle_organisation(a, who, *next, false, lang)) co_return std::move(*refused);
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
  // Working groups named in the organiser's language where written (the stored rows keep the event's).
  if (auto* rows = out.if_contains("by_session"); rows && rows->is_array())
    for (auto& row : rows->get_array())
      if (auto const* s = e.find_session(row.at("id").to_number<std::int64_t>()))
        row.as_object()["title"] = e.text(*s, text_field::title, lang).text;
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

// GET …/mail-preview?kind=ticket&lang=ar: a mail as a guest reading that language gets it.
awaitable<response> mail_preview(request& req, app& a, event_call& call) {
  std::string kind(req.query_value("kind").value_or("ticket"));
  std::string lang(req.query_value("lang").value_or(call.event.language));
  if (std::find(guest_mail_kinds.begin(), guest_mail_kinds.end(), kind) == guest_mail_kinds.end())
    co_return error_response(call.lang, fail(errc::invalid_field, "kind", "invalid_choice"));
  if (!is_supported_language(lang))
    co_return error_response(call.lang, fail(errc::invalid_field, "lang", "invalid_choice"));
  mail_message m;
  {
    app::reader db(a);
    m = preview_mail(*db, call.event, kind, lang, a.link_base());
  }
  co_return json_response(200, json::object{{"kind", kind},
                                            {"lang", lang},
                                            {"dir", is_rtl(lang) ? "rtl" : "ltr"},
                                            {"subject", m.subject},
                                            {"text", m.text},
                                            {"html", m.html}});
}

// ---- Attendees ----

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

}  // namespace einlass::server
