#pragma once
// Door devices: added by an organiser, paired with a one-time code, revoked at any time.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

struct device {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  std::string name;
  std::int64_t list_id = 0;  // 0: the whole event; otherwise a session id
  std::optional<sys_seconds> paired_at, revoked_at, last_seen_at;
  sys_seconds created_at{};
};

struct new_device {
  device dev;
  std::string token;         // for scripts; shown once
  std::string pairing_code;  // one-time, in the pairing link; shown once
};

// Adds a device to an event. `list_id` must be 0 or one of the event's sessions
// (invalid_field on "list" otherwise); the name 1-100 characters.
[[nodiscard]] outcome<new_device> create_device(database& db, std::int64_t event_id, std::string name,
                                                std::int64_t list_id, sys_seconds at);

// Exchanges a one-time pairing code for a new device token. not_found when the code is
// unknown, used or expired, or the device was revoked.
[[nodiscard]] outcome<std::pair<device, std::string>> pair_device(database& db, std::string_view code, sys_seconds at);

// The device behind a token, if the token is known and the device not revoked.
[[nodiscard]] std::optional<device> device_by_token(database& db, std::string_view token);
// The device behind a token even when revoked (so a revoked device gets 401, not 403).
[[nodiscard]] bool is_device_token(database& db, std::string_view token);

[[nodiscard]] std::vector<device> event_devices(database& db, std::int64_t event_id);
[[nodiscard]] std::optional<device> find_device(database& db, std::int64_t id);
// Revokes the device: its tokens stop working at once. False when unknown.
bool revoke_device(database& db, std::int64_t event_id, std::int64_t device_id, sys_seconds at);

// Renames a device; invalid_field on "name", not_found when not the event's.
[[nodiscard]] outcome<device> rename_device(database& db, std::int64_t event_id, std::int64_t device_id,
                                            std::string name);
// A fresh one-time pairing code for a device not revoked (the old code stops working), so a
// replaced tablet can be paired again; every token the device had stops at once (a lost
// tablet's too). not_found when the device is unknown or revoked.
[[nodiscard]] outcome<std::string> renew_pairing(database& db, std::int64_t event_id, std::int64_t device_id,
                                                 sys_seconds at);

// Notes that the device was heard from at `at` (shown to the organiser as "last seen").
void mark_device_seen(database& db, std::int64_t device_id, sys_seconds at);

[[nodiscard]] boost::json::object device_to_json(device const& d, std::string_view zone);

// Whether this device let the person in (an entry scan it recorded as ok): what a door may print
// a badge for, so that it cannot read names by walking registration ids.
[[nodiscard]] bool admitted_by_device(database& db, std::int64_t device_id, std::int64_t registration_id);

// How long a pairing code stays valid.
inline constexpr std::chrono::hours pairing_validity{72};

}  // namespace einlass::checkin
