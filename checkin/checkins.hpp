#pragma once
// Scanning tickets at the door. Every decision runs on the single writer, so of any number
// of simultaneous scans of one ticket exactly one is `ok`; every scan, failed ones too, is
// recorded; a repeated nonce answers the recorded result again and records nothing new.
#include "checkin/db.hpp"
#include "checkin/devices.hpp"
#include "checkin/event.hpp"
#include "checkin/registration.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

// The results a scan can have. `not_inside` (an exit scan of someone not inside) and
// `undone` (an undo) extend the contract's list.
enum class scan_result {
  ok,
  already_checked_in,
  unknown_ticket,
  cancelled,
  waitlisted,
  not_on_list,
  wrong_event,
  checked_out,
  not_inside,
  undone,
  unconfirmed
};
inline constexpr std::array<std::string_view, 11> scan_results{
    "ok",          "already_checked_in", "unknown_ticket", "cancelled", "waitlisted", "not_on_list",
    "wrong_event", "checked_out",        "not_inside",     "undone",    "unconfirmed"};
[[nodiscard]] inline std::string_view to_string(scan_result r) noexcept {
  return scan_results[static_cast<std::size_t>(r)];
}
[[nodiscard]] std::optional<scan_result> scan_result_from_string(std::string_view s) noexcept;
// What a registration's status refuses at the door (nothing for a confirmed one).
[[nodiscard]] std::optional<scan_result> refusal_of(reg_status s) noexcept;

struct attendee_brief {
  std::int64_t registration_id = 0;
  std::string first_name, last_name, organisation;
  reg_status status = reg_status::confirmed;  // as the door sees it: unconfirmed while an opt-in waits
  std::vector<std::string> sessions;          // titles
};

struct scan_request {
  device dev;
  std::string code;                             // the text read from the QR code, or
  std::optional<std::int64_t> registration_id;  // a person picked by name search
  std::int64_t list_id = 0;                     // 0: the whole event
  std::string type = "entry";                   // entry | exit
  std::string nonce;                            // empty: no replay protection
  // The person, looked up by prepare_scan() on a reading connection; the writer then re-reads
  // only what may have changed (event and status).
  std::optional<attendee_brief> known;
  // A scan the tablet queued while offline: when it scanned (the recorded time, clamped to the
  // device's pairing and the server's now), and whether it let the person in by itself.
  std::optional<sys_seconds> scanned_at;
  bool admitted_offline = false;
};

struct scan_outcome {
  std::int64_t checkin_id = 0;
  scan_result result = scan_result::unknown_ticket;
  std::optional<attendee_brief> attendee;
  std::optional<sys_seconds> checked_in_at;        // this scan's time, when it admitted
  std::optional<sys_seconds> first_checked_in_at;  // the first admission on this list
  std::string first_device;                        // the device of that first admission
  std::string device;                              // the scanning device
  bool replayed = false;
  // An admission the tablet made offline of someone another device had admitted: both let
  // the ticket in. Listed for the organiser (offline_conflicts).
  bool conflict = false;
};

// Resolves the code to a person on a reading connection (no write lock), so that the single
// writer does as little as possible. Leaves the request as it is when the code is unknown.
void prepare_scan(database& db, scan_request& req);

// What a scan needs of its event: the event's time zone (for the answer's times), whether
// list `list_id` (0: the whole event) is the event's.
struct scan_place {
  std::string zone;
  bool list_ok = false;
};
[[nodiscard]] scan_place find_scan_place(database& db, std::int64_t event_id, std::int64_t list_id);

// The time a scan is recorded at: `now`, or for a scan queued offline the tablet's time of the
// scan, no earlier than the device was paired (created, if never) and no later than now.
[[nodiscard]] sys_seconds scan_time(scan_request const& req, sys_seconds now);

// Decides and records one scan at scan_time(req, at). Run inside the writer's transaction.
[[nodiscard]] scan_outcome record_scan(database& db, scan_request const& req, sys_seconds at);

// Reverses this device's check-in `checkin_id` (an admission or an exit it recorded).
// not_found when it is not this device's, was not an admission or exit, or is undone already.
[[nodiscard]] outcome<scan_outcome> undo_scan(database& db, device const& dev, std::int64_t checkin_id, sys_seconds at);

struct list_counts {
  std::int64_t expected = 0;  // confirmed registrations on the list
  std::int64_t checked_in = 0;
  std::int64_t inside = 0;
};
[[nodiscard]] list_counts count_list(database& db, std::int64_t event_id, std::int64_t list_id);

struct search_hit {
  attendee_brief person;
  std::optional<sys_seconds> checked_in_at;
  bool inside = false;
  bool on_list = true;
};
// People of the event whose name or organisation contains `q` (3+ characters), at most `limit`.
[[nodiscard]] std::vector<search_hit> search_attendees(database& db, std::int64_t event_id, std::int64_t list_id,
                                                       std::string_view q, int limit = 8);

// What a door tablet can answer while the network is down, beyond the signature: the
// tickets its list would refuse now ("cancelled", "waitlisted", "unconfirmed", "not_on_list")
// and those inside already ("already_checked_in"), each by ticket_code_hash(). Tickets that
// would be admitted are not listed.
struct offline_verdict {
  std::string code_hash;
  scan_result result;
};
[[nodiscard]] std::vector<offline_verdict> offline_verdicts(database& db, std::int64_t event_id, std::int64_t list_id);

[[nodiscard]] boost::json::object scan_to_json(scan_outcome const& s, std::string_view zone);

}  // namespace einlass::checkin
