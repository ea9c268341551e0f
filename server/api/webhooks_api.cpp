// Webhooks of an event: add (the secret shown once), list with the last deliveries, test,
// retry one delivery, remove. Targets are checked (server/app/webhook_sender.hpp).
#include "checkin/audit.hpp"
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

// The webhook in the path and its event, when the caller may manage that event.
struct managed_webhook {
  webhook hook;
  event e;
};
std::optional<managed_webhook> find_managed(app& a, request const& req, user const& who) {
  auto id = number_of(req.param("id"));
  if (!id) return std::nullopt;
  app::reader db(a);
  auto w = find_webhook(*db, *id);
  auto e = w ? find_event(*db, w->event_id) : std::nullopt;
  if (!e || !can_manage(*db, who, *e)) return std::nullopt;  // another's: as if it did not exist
  return managed_webhook{std::move(*w), std::move(*e)};
}

}  // namespace

awaitable<response> create_webhook(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto body = read_object(req, lang);
  if (!body) co_return std::move(body).error();
  auto url = text_in(*body, "url");
  auto slug = text_in(*body, "event");
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
  if (slug.empty()) errors.push_back({"event", "required"});
  else {
    app::reader db(a);
    e = find_event(*db, slug);
    if (e && !can_manage(*db, call.who, *e)) e.reset();
    if (!e) errors.push_back({"event", "not_found"});
  }
  if (!errors.empty()) co_return error_response(lang, failure{errc::invalid_field, std::move(errors), {}});
  webhook made;
  co_await a.write([&](database& db) {
    made = add_webhook(db, e->id, url, kinds, call.who, now());
    audit(db, call.who, e->id, "webhook.create", {{"webhook", made.id}, {"url", url}}, now());
  });
  auto out = webhook_to_json(made, e->timezone);
  out["secret"] = made.secret;  // shown this once
  co_return json_response(201, out);
}

awaitable<response> list_webhooks(request&, app& a, event_call& call) {
  json::array out;
  {
    app::reader db(a);
    for (auto const& w : webhooks_of_event(*db, call.event.id)) {
      auto o = webhook_to_json(w, call.event.timezone);
      json::array deliveries;
      for (auto const& d : deliveries_of(*db, w.id, 20)) deliveries.push_back(delivery_to_json(d, call.event.timezone));
      o["deliveries"] = std::move(deliveries);
      out.push_back(std::move(o));
    }
  }
  co_return json_response(200, json::object{{"webhooks", std::move(out)}});
}

awaitable<response> webhook_call(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto m = find_managed(a, req, call.who);
  if (!m) co_return error_response(lang, http_error::not_found);
  auto action = req.method == "DELETE" ? std::string("remove") : std::string(req.param("action"));
  auto delivery = number_of(req.param("delivery"));
  bool ok = true;
  if (action != "remove" && action != "test" && !(action == "retry" && delivery))
    co_return error_response(lang, http_error::not_found);
  co_await a.write([&](database& db) {
    auto at = now();
    if (action == "remove") remove_webhook(db, m->hook.id);
    else if (action == "test") notify_webhooks(db, m->e.id, "ping", std::nullopt, at, m->hook.id);
    else ok = retry_delivery(db, m->hook.id, *delivery, at);
    if (ok) audit(db, call.who, m->e.id, "webhook." + action, {{"webhook", m->hook.id}}, at);
  });
  if (!ok) co_return error_response(lang, http_error::not_found);
  co_return json_response(action == "remove" ? 200 : 202, json::object{{"id", m->hook.id}});
}

}  // namespace einlass::server
