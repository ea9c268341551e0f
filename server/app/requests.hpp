#pragma once
// Steps the API and the pages share: reading a JSON body, finding an event the caller may
// see, registering a person, and the rate budgets of anonymous writes.
#include "checkin/event.hpp"
#include "checkin/registration.hpp"
#include "server/app/app.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string_view>

namespace einlass::server {

// Content-Disposition for a download saved as `file_name`: the one way a file name gets into a
// header. Anything but a-z, A-Z, 0-9, '.', '-' and '_' becomes '_' (a slug or a fixed name
// passes unchanged), so no quote, line break or path can come along.
[[nodiscard]] std::string attachment(std::string_view file_name);

// The body as JSON, or the error response for a wrong media type, bad UTF-8 or bad JSON.
[[nodiscard]] reply<boost::json::value> read_json(request const& req, std::string_view lang);

// A published event by slug; drafts only for organisers who may manage them.
[[nodiscard]] std::optional<checkin::event> visible_event(app& a, request const& req, std::string_view slug);

// The organisation an event of this user's goes to: the one named (it must exist and the user
// belong to it, unless an admin), or, when none is named on a new event, the user's only one.
// The error response (422 organisation unknown_organisation) otherwise.
[[nodiscard]] std::optional<response> settle_organisation(app& a, checkin::user const& who, checkin::event& e,
                                                          bool is_new, std::string_view lang);

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
