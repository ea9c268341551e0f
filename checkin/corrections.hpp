#pragma once
// Check-ins corrected by hand: an organiser admits someone the door could not (they came
// without their ticket, the tablet was down) or takes an admission back (scanned by mistake,
// never came in). Each correction is a row of `checkins` without a device, naming the organiser
// and the reason (schema/010), so the exports and the statistics show it like any scan.
#include "checkin/checkins.hpp"
#include "checkin/users.hpp"

#include <string>

namespace einlass::checkin {

inline constexpr std::size_t max_reason_length = 500;

// Admits registration `registration_id` of event `event_id` to list `list_id` (0: the whole
// event) as a door would: the result says what happened (ok, already_checked_in, or why not:
// cancelled, waitlisted, not_on_list, ...). Only an `ok` is a correction; the others record
// nothing. Call inside the writer's transaction.
[[nodiscard]] outcome<scan_outcome> admit_by_hand(database& db, std::int64_t event_id, std::int64_t registration_id,
                                                  std::int64_t list_id, user const& who, std::string const& reason,
                                                  sys_seconds at);

// Takes the person's admission to the list back: they count as not having come (not_found
// when they were not admitted there). Call inside the writer's transaction.
[[nodiscard]] outcome<scan_outcome> unadmit_by_hand(database& db, std::int64_t event_id, std::int64_t registration_id,
                                                    std::int64_t list_id, user const& who, std::string const& reason,
                                                    sys_seconds at);

}  // namespace einlass::checkin
