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

// Replaces an event's details, sessions and questions with `next` (from event_from_json):
// sessions with a known id keep it (and their registrations), new ones are added, and one
// left out is removed unless people hold it (session_in_use). Runs in the writer's transaction.
[[nodiscard]] outcome<event> update_event(database& db, event const& current, event next);

// A copy as a draft under a new slug and title, every time moved with the new start
// (sessions, registration window); no registrations, devices or check-ins.
[[nodiscard]] outcome<event> duplicate_event(database& db, event const& source, std::string slug, std::string title,
                                             sys_seconds starts_at, std::int64_t owner, sys_seconds at);

struct event_summary {
  std::int64_t id = 0;
  std::string slug, title;
  sys_seconds starts_at{}, ends_at{};
  std::string timezone, venue, status;
  std::string language;  // of the title; its translations in `texts` (upcoming_events only)
  translations texts;
  std::optional<std::int64_t> capacity;
  std::int64_t confirmed = 0, waitlisted = 0, cancelled = 0, checked_in = 0;
};
struct user_scope {
  bool all = false;  // an admin
  std::int64_t user_id = 0;
};
// The events a user may manage, newest first.
[[nodiscard]] std::vector<event_summary> list_events(database& db, user_scope scope);

// Published events that have not ended by `at`, soonest first, at most `limit`: the home page.
// Only slug, title (with language and texts), starts_at and timezone are filled.
[[nodiscard]] std::vector<event_summary> upcoming_events(database& db, sys_seconds at, int limit);

// Whether the database answers a read of a real table (for the health check).
[[nodiscard]] bool storage_answers(database& db);

// The event's secret ticket-signing key (64 bytes).
[[nodiscard]] std::string event_secret_key(database& db, std::int64_t event_id);

}  // namespace einlass::checkin
