#pragma once
// Webhooks: an event's changes told to another system (a network's CRM). A delivery is queued
// in the transaction of the change (as a mail is, checkin/mail.hpp) and sent by the server as a
// POST of JSON, signed with the webhook's secret, retried with back-off until the receiver says
// 2xx; the deliveries of one registration go out in the order they happened.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/time.hpp"
#include "checkin/users.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

inline constexpr std::array<std::string_view, 5> webhook_kinds{"registration.created", "registration.changed",
                                                               "registration.cancelled", "checkin.created", "ping"};

// Whose changes a webhook hears: one event's, or every event's of an organisation.
struct webhook_scope {
  std::int64_t event_id = 0, organisation_id = 0;  // exactly one of them
};

struct webhook {
  std::int64_t id = 0, event_id = 0, organisation_id = 0;
  std::string url, secret;
  std::vector<std::string> kinds;
  std::string created_by;
  sys_seconds created_at{};
};

[[nodiscard]] webhook add_webhook(database& db, webhook_scope scope, std::string url, std::vector<std::string> kinds,
                                  user const& who, sys_seconds at);
[[nodiscard]] std::optional<webhook> find_webhook(database& db, std::int64_t id);
[[nodiscard]] std::vector<webhook> webhooks_of_event(database& db, std::int64_t event_id);
[[nodiscard]] std::vector<webhook> webhooks_of_organisation(database& db, std::int64_t organisation_id);
void remove_webhook(database& db, std::int64_t id);

// Queues `kind` about registration `registration_id` (nullopt for a ping) for every webhook of
// the event or of its organisation that asked for it (only `only_webhook` when given: a test);
// the payload is the registration as it is now. In the transaction of the change: one cheap
// query when there are no webhooks.
void notify_webhooks(database& db, std::int64_t event_id, std::string_view kind,
                     std::optional<std::int64_t> registration_id, sys_seconds at,
                     std::optional<std::int64_t> only_webhook = std::nullopt);

struct webhook_delivery {
  std::int64_t id = 0, webhook_id = 0;
  std::string kind, payload, status, url, secret;
  int attempts = 0;
  std::optional<int> answer_status;
  std::string answer;
  sys_seconds created_at{}, next_attempt_at{};
  std::optional<sys_seconds> sent_at;
};

// Takes up to `limit` due deliveries whose registration has no earlier one still pending (the
// order per registration), claimed until at + lease.
[[nodiscard]] std::vector<webhook_delivery> claim_due_deliveries(database& db, sys_seconds at, int limit,
                                                                 std::chrono::seconds lease = std::chrono::minutes(2));
// The receiver's answer: 2xx settles it, anything else (or none, status 0) tries again later.
// The pause before the next try starts at `base` and doubles each time (checkin/mail.hpp's retry_delay).
void settle_delivery(database& db, std::int64_t id, int status, std::string const& answer, sys_seconds at,
                     std::chrono::seconds base = std::chrono::seconds(10));
inline constexpr int max_webhook_attempts = 20;  // about a day of trying
// Tries a delivery again now (a failed one too).
[[nodiscard]] bool retry_delivery(database& db, std::int64_t webhook_id, std::int64_t id, sys_seconds at);
[[nodiscard]] std::vector<webhook_delivery> deliveries_of(database& db, std::int64_t webhook_id, int limit);
[[nodiscard]] std::optional<sys_seconds> next_delivery_due(database& db);

[[nodiscard]] boost::json::object webhook_to_json(webhook const& w, std::string_view zone);
[[nodiscard]] boost::json::object delivery_to_json(webhook_delivery const& d, std::string_view zone);
// "sha256=" and the hex HMAC-SHA-256 of the body with the secret: the X-Einlass-Signature header.
[[nodiscard]] std::string webhook_signature(std::string_view secret, std::string_view body);

}  // namespace einlass::checkin
