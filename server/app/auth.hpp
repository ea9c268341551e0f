#pragma once
// Who is calling: an organiser (API token), a door device (device token), or nobody.
// Organiser calls answer 401 without credentials and 403 to a device; device calls
// answer 401 without (or with a revoked) device token and 403 to an organiser.
#include "checkin/devices.hpp"
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/users.hpp"
#include "server/app/app.hpp"

#include <functional>

namespace einlass::server {

// Organisers: an API token (Authorization: Bearer) or the login cookie; with the cookie,
// every method but GET and HEAD must carry the login's CSRF token (X-CSRF-Token header or
// a "csrf" form field), else 403 csrf_failed.
[[nodiscard]] reply<checkin::user> require_organiser(app& a, request const& req, std::string_view lang);
[[nodiscard]] reply<checkin::device> require_device(app& a, request const& req, std::string_view lang);

[[nodiscard]] bool is_safe_method(std::string_view method);
// True for a client on this machine: 127.0.0.0/8, ::1, or ::ffff:127.x.x.x.
[[nodiscard]] bool is_loopback(std::string_view address);
// /metrics: loopback clients, others with the bearer token of --metrics-token-file.
[[nodiscard]] bool may_read_metrics(app const& a, request const& req);
[[nodiscard]] bool csrf_ok(request const& req, std::string_view expected);
// The browser login behind the request's cookie, if it is valid.
[[nodiscard]] std::optional<checkin::login_session> current_login(app& a, request const& req);

// The organiser and an event they may manage, or the error response (401, 403, 404).
struct managed_event {
  checkin::user user;
  checkin::event event;
};
[[nodiscard]] reply<managed_event> require_managed_event(app& a, request const& req, std::string_view lang,
                                                         std::string_view slug);

// An organiser's call: the answer's language and the organiser.
struct organiser_call {
  std::string lang;
  checkin::user who;
};
using organiser_handler = awaitable<response> (*)(request&, app&, organiser_call&);
// A route handler that answers 401/403 unless an organiser calls (require_organiser), then calls h.
[[nodiscard]] std::function<awaitable<response>(request&, app&)> for_organiser(organiser_handler h);

// An organiser's call on the event named by the route's {slug}: the answer's language, the
// organiser, and the event they may manage.
struct event_call {
  std::string lang;
  checkin::user who;
  checkin::event event;
};
using event_handler = awaitable<response> (*)(request&, app&, event_call&);
// A route handler that checks the organiser's right to the event first (401, 403, 404)
// and only then calls h: no organiser call on an event can skip the check.
[[nodiscard]] std::function<awaitable<response>(request&, app&)> for_event(event_handler h);

// An organiser's call on the organisation named by the route's {org}: its members and admins
// (401, 403 to others, 404 when there is none).
struct organisation_call {
  std::string lang;
  checkin::user who;
  checkin::organisation org;
};
using organisation_handler = awaitable<response> (*)(request&, app&, organisation_call&);
[[nodiscard]] std::function<awaitable<response>(request&, app&)> for_organisation(organisation_handler h);

// A door device's call: the answer's language and the device behind the bearer token.
struct device_call {
  std::string lang;
  checkin::device dev;
};
using device_handler = awaitable<response> (*)(request&, app&, device_call&);
// A route handler that answers 401 without a live device token and 403 to an organiser's
// (require_device), then calls h: no door call can skip the check.
[[nodiscard]] std::function<awaitable<response>(request&, app&)> for_device(device_handler h);

}  // namespace einlass::server
