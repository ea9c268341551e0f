#pragma once
// The organiser's view of an event's people: finding them, changing them, the waiting list,
// and deleting personal data. Every change runs inside the writer's transaction.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/event.hpp"
#include "checkin/registration.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

struct attendee_filter {
  std::optional<reg_status> status;  // confirmed | waitlisted | cancelled
  std::optional<std::int64_t> session_id;
  std::optional<std::string> organisation_type;
  std::optional<bool> checked_in;  // on any list
  std::string q;                   // part of name, organisation or e-mail
  std::vector<std::int64_t> ids;   // only these (picked by hand), when any
  std::optional<bool> badge_printed;
  std::string sort = "name";  // name | organisation | status | registered_at | checked_in_at
  bool descending = false;
  int limit = 50, offset = 0;
};
inline constexpr std::array<std::string_view, 5> attendee_sorts{"name", "organisation", "status", "registered_at",
                                                                "checked_in_at"};

struct attendee_row {
  registration reg;
  std::optional<sys_seconds> checked_in_at;  // first admission on any list
  bool inside = false;                       // inside the event now (whole-event list)
  bool anonymised = false;
};

struct attendee_page {
  std::int64_t total = 0;  // matching the filter, before limit and offset
  std::vector<attendee_row> rows;
};

// The filter as SQL over `registrations r`: "WHERE …" with ?1 the event and ?2 to ?8 the
// filter, which bind_attendee_filter() binds (for a statement that picks people by it); a
// statement's own parameters start at ?9.
[[nodiscard]] std::string attendee_filter_where(engine e);
void bind_attendee_filter(statement& st, std::int64_t event_id, attendee_filter const& f);
// The ids the filter picks (all of them, in id order; limit and offset do not apply).
[[nodiscard]] std::vector<std::int64_t> attendee_ids(database& db, std::int64_t event_id, attendee_filter const& f);

// Sorted by last name, first name. Two queries for the rows and one for their sessions.
[[nodiscard]] attendee_page list_attendees(database& db, std::int64_t event_id, attendee_filter const& f);

[[nodiscard]] boost::json::object attendee_to_json(attendee_row const& a, std::string_view zone);

struct status_change {
  registration reg;
  std::vector<std::int64_t> promoted;  // registrations moved up from the waiting list
  bool changed = false;                // false: it already stood so, nothing was done
};

// Cancels; the freed seat goes to the waiting list in order.
[[nodiscard]] outcome<status_change> cancel_registration(database& db, event const& e, std::int64_t id, sys_seconds at);
// Undoes a cancellation: confirmed when a seat is free, else waitlisted (or event_full).
[[nodiscard]] outcome<status_change> restore_registration(database& db, event const& e, std::int64_t id,
                                                          sys_seconds at);
// Moves one person from the waiting list now, when their seats allow.
[[nodiscard]] outcome<status_change> confirm_waitlisted(database& db, event const& e, std::int64_t id, sys_seconds at);
// Confirms waiting people in the order they registered while seats allow; someone whose
// session is full keeps waiting and the next one is tried. `e` must be freshly loaded.
std::vector<std::int64_t> promote_waitlisted(database& db, event const& e, sys_seconds at);

// Replaces a registration's details (validated like a registration; sessions must have
// seats for a confirmed person).
[[nodiscard]] outcome<registration> update_registration(database& db, event const& e, std::int64_t id,
                                                        registration_input in, sys_seconds at);

// Notes that these people's badges were printed (the badges' "not yet printed" filter).
void mark_badges_printed(database& db, std::int64_t event_id, std::vector<std::int64_t> const& ids, sys_seconds at);

// Deletes the person's personal data, keeping status, organisation type, sessions and
// check-ins for the statistics. The ticket stops working.
bool anonymise_registration(database& db, std::int64_t event_id, std::int64_t id, sys_seconds at);
// Anonymises every event whose retention period after its end has passed; returns their ids.
std::vector<std::int64_t> purge_expired_personal_data(database& db, sys_seconds at);

// Everything stored about one person (a data subject's copy).
[[nodiscard]] std::optional<boost::json::object> person_data(database& db, event const& e, std::int64_t id);

}  // namespace einlass::checkin
