// Webhooks of an event: add (the secret shown once), list with the last deliveries, test,
// retry one delivery, remove. Targets are checked (server/app/webhook_sender.hpp).
#include "checkin/audit.hpp"
#include "checkin/organisations.hpp"
#include "checkin/store.hpp"
#include "checkin/webhooks.hpp"
#include "server/api/api.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"
#include "server/app/webhook_sender.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

// The webhook in the path, when the caller may manage its event or belongs to its organisation.
std::optional<webhook> find_managed(app& a, request const& req, user const& who) {
  auto id = number_of(req.param("id"));
  if (!id) return std::nullopt;
  app::reader db(a);
  auto w = find_webhook(*db, *id);
  if (!w) return std::nullopt;
  if (w->organisation_id) return who.is_admin() || is_member(*db, w->organisation_id, who.id) ? w : std::nullopt;
  auto e = find_event(*db, w->event_id);
  if (!e || !can_manage(*db, who, *e)) return std::nullopt;  // another's: as if it did not exist
  return w;
}

json::array webhooks_json(database& db, std::vector<webhook> const& hooks, std::string_view zone) {
  json::array out;
  for (auto const& w : hooks) {
    auto o = webhook_to_json(w, zone);
    json::array deliveries;
    for (auto const& d : deliveries_of(db, w.id, 20)) deliveries.push_back(delivery_to_json(d, zone));
    o["deliveries"] = std::move(deliveries);
    out.push_back(std::move(o));
  }
  return out;
}

constexpr std::string_view organisation_zone = "Europe/Berlin";  // an organisation's times: where its events are

}  // namespace

awaitable<response> create_webhook(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto url = text_in(*body, "url");
  auto slug = text_in(*body, "event");
  auto org_slug = text_in(*body, "organisation");
  std::vector<field_error> errors;
  std::vector<std::string> kinds;
  if (auto const* k = body->if_contains("events"); k && k->is_array()) {
    for (auto const& v : k->get_array())
      if (v.is_string() && std::ranges::find(webhook_kinds, v.get_string()) != webhook_kinds.end() &&
          v.get_string() != "ping")
        kinds.emplace_back(v.get_string());
      else errors.push_back({"events", "invalid_choice"});
  }
  if (kinds.empty() && errors.empty()) errors.push_back({"events", "required"});
  if (auto why = webhook_target_problem(url, a.cfg().allow_private_webhooks); !why.empty())
    errors.insert(errors.begin(), {"url", why});
  std::optional<event> e;
  std::optional<organisation> org;
  {
    app::reader db(a);
    if (!org_slug.empty()) {  // every event of the organisation, later ones too
      org = find_organisation(*db, org_slug);
      if (org && !call.who.is_admin() && !is_member(*db, org->id, call.who.id)) org.reset();
      if (!org) errors.push_back({"organisation", "unknown_organisation"});
    } else if (slug.empty()) errors.push_back({"event", "required"});
    else {
      e = find_event(*db, slug);
      if (e && !can_manage(*db, call.who, *e)) e.reset();
      if (!e) errors.push_back({"event", "not_found"});
    }
  }
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  webhook made;
  webhook_scope scope{e ? e->id : 0, org ? org->id : 0};
  co_await a.write([&](database& db) {
    made = add_webhook(db, scope, url, kinds, call.who, now());
    audit(db, call.who, e ? std::optional(e->id) : std::nullopt, "webhook.create",
          {{"webhook", made.id}, {"url", url}, {"organisation", org_slug}}, now());
  });
  auto out = webhook_to_json(made, e ? std::string_view(e->timezone) : organisation_zone);
  out["secret"] = made.secret;  // shown this once
  co_return json_response(201, out);
}

awaitable<response> list_webhooks(request&, app& a, event_call& call) {
  app::reader db(a);
  co_return json_response(
      200, json::object{{"webhooks", webhooks_json(*db, webhooks_of_event(*db, call.event.id), call.event.timezone)}});
}

awaitable<response> list_organisation_webhooks(request&, app& a, organisation_call& call) {
  app::reader db(a);
  co_return json_response(
      200,
      json::object{{"webhooks", webhooks_json(*db, webhooks_of_organisation(*db, call.org.id), organisation_zone)}});
}

awaitable<response> webhook_call(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto m = find_managed(a, req, call.who);
  if (!m) co_return error_response(lang, http_error::not_found);
  auto event_id = m->event_id ? std::optional(m->event_id) : std::nullopt;
  auto action = req.method == "DELETE" ? std::string("remove") : std::string(req.param("action"));
  auto delivery = number_of(req.param("delivery"));
  bool ok = true;
  if (action != "remove" && action != "test" && !(action == "retry" && delivery))
    co_return error_response(lang, http_error::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    if (action == "remove") remove_webhook(db, m->id);
    else if (action == "test") notify_webhooks(db, m->event_id, "ping", std::nullopt, at, m->id);
    else ok = retry_delivery(db, m->id, *delivery, at);
    if (ok) audit(db, call.who, event_id, "webhook." + action, {{"webhook", m->id}}, at);
  });
  if (!ok) co_return error_response(lang, http_error::not_found);
  co_return json_response(action == "remove" ? 200 : 202, json::object{{"id", m->id}});
}

}  // namespace einlass::server
