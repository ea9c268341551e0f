#pragma once
// Handlers: plain coroutines (request, app) -> response. They never see a socket.
#include "checkin/event.hpp"
#include "checkin/registration.hpp"
#include "server/app.hpp"
#include "server/auth.hpp"

#include <variant>

namespace einlass::server {

// API (server/api.cpp)
awaitable<response> create_event(request& req, app& a, organiser_call& call);
awaitable<response> get_event(request& req, app& a);
awaitable<response> create_registration(request& req, app& a);
awaitable<response> ticket_image(request& req, app& a);

// Pages (server/pages.cpp)
awaitable<response> home_page(request& req, app& a);
awaitable<response> event_page(request& req, app& a);
awaitable<response> event_form_post(request& req, app& a);
awaitable<response> ticket_page(request& req, app& a);
awaitable<response> privacy_page(request& req, app& a);

// Operations and assets (server/ops.cpp)
awaitable<response> healthz(request& req, app& a);
awaitable<response> metrics_text(request& req, app& a);
// The local certificate authority of --tls-self-signed, for tablets to trust once (404 without).
awaitable<response> ca_certificate(request& req, app& a);
awaitable<response> asset(request& req, app& a);

// Shared steps.

// The body as JSON, or the error response for a wrong media type, bad UTF-8 or bad JSON.
[[nodiscard]] std::variant<boost::json::value, response> read_json(request const& req, std::string_view lang);

// A published event by slug; drafts only for organisers who may manage them.
[[nodiscard]] std::optional<checkin::event> visible_event(app& a, request const& req, std::string_view slug);

// Validates, then decides the registration on the writer. Counts the outcome in metrics.
[[nodiscard]] awaitable<checkin::outcome<checkin::registration>> register_person(app& a, checkin::event const& e,
                                                                                 checkin::registration_input in);

// What an anonymous write spends: each budget has its own --rate-limit per client address
// and minute, so sign-ins from a desk that registered sixty people still get through.
enum class budget { registration, sign_in, pairing };
// Retry-After seconds when the client is over its limit for this kind of write.
[[nodiscard]] std::optional<int> over_rate_limit(app& a, request const& req, budget b);
[[nodiscard]] response rate_limited(std::string_view lang, int retry_after);

}  // namespace einlass::server
