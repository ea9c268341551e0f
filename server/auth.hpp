#pragma once
// Who is calling: an organiser (API token), a door device (device token), or nobody.
// Organiser calls answer 401 without credentials and 403 to a device; device calls
// answer 401 without (or with a revoked) device token and 403 to an organiser.
#include "checkin/devices.hpp"
#include "checkin/event.hpp"
#include "checkin/users.hpp"
#include "server/app.hpp"

#include <variant>

namespace einlass::server {

[[nodiscard]] std::variant<checkin::user, response> require_organiser(app& a, request const& req, std::string_view lang);
[[nodiscard]] std::variant<checkin::device, response> require_device(app& a, request const& req, std::string_view lang);

// The organiser and an event they may manage, or the error response (401, 403, 404).
struct managed_event {
  checkin::user user;
  checkin::event event;
};
[[nodiscard]] std::variant<managed_event, response> require_managed_event(app& a, request const& req,
                                                                          std::string_view lang, std::string_view slug);

}  // namespace einlass::server
