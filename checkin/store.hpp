#pragma once
// Events as stored: creating them and loading them with their live counts.
#include "checkin/db.hpp"
#include "checkin/event.hpp"

#include <optional>
#include <string_view>

namespace einlass::checkin {

// Stores a new event with a fresh ticket-signing key; fills in ids. Runs inside the
// caller's transaction (the writer's). slug_taken when the slug is in use.
[[nodiscard]] outcome<event> create_event(database& db, event e, std::optional<std::int64_t> owner, sys_seconds at);

// The event with its sessions, questions and registration counts.
[[nodiscard]] std::optional<event> find_event(database& db, std::string_view slug);
[[nodiscard]] std::optional<event> find_event(database& db, std::int64_t id);

// The event's secret ticket-signing key (64 bytes).
[[nodiscard]] std::string event_secret_key(database& db, std::int64_t event_id);

}  // namespace einlass::checkin
