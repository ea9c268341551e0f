#pragma once
// Registering a participant: reading and checking what they typed, and the one
// transaction that decides confirmed, waiting list or full.
#include "checkin/db.hpp"
#include "checkin/event.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace einlass::checkin {

// The version of the privacy notice a participant agrees to; stored with the consent.
inline constexpr std::string_view privacy_notice_version = "2026-11-v1";
inline constexpr std::array<std::string_view, 3> languages{"de", "en", "ar"};

struct registration_input {
  std::string first_name, last_name, email, organisation, organisation_type, position, phone;
  std::string language = "de";
  std::vector<std::int64_t> sessions;
  boost::json::object answers;  // question key -> string | [string] | bool
  bool consent = false;
};

// From the JSON body of POST /api/v1/events/{slug}/registrations. Wrong JSON types are field errors.
[[nodiscard]] outcome<registration_input> registration_from_json(boost::json::value const& v);

// From a plain HTML form post (name=value pairs, repeated names for several choices).
[[nodiscard]] registration_input registration_from_form(std::vector<std::pair<std::string, std::string>> const& fields,
                                                        event const& e);

// Trims and checks the input against the event's form. Empty when all is well; otherwise
// every field at fault, in form order.
// A walk-in (registered at the door by staff) may come without an e-mail address.
[[nodiscard]] std::vector<field_error> validate(registration_input& in, event const& e, bool walk_in = false);

// Where a registration stands. `unconfirmed` is never stored: it is how a registration
// shows while its double opt-in waits for the link (shown_status; the door says the same).
enum class reg_status { confirmed, waitlisted, cancelled, unconfirmed };
[[nodiscard]] std::string_view to_string(reg_status s) noexcept;
[[nodiscard]] std::optional<reg_status> reg_status_from_string(std::string_view s) noexcept;

struct registration {
  std::int64_t id = 0;
  std::int64_t event_id = 0;
  reg_status status = reg_status::confirmed;
  std::string first_name, last_name, email, organisation, organisation_type, position, phone, language;
  boost::json::object answers;
  std::vector<std::int64_t> sessions;
  std::string ticket_code;
  sys_seconds consent_at{}, created_at{};
  std::optional<sys_seconds> confirm_by;  // double opt-in: not yet confirmed, the seat held until then
};

// Who takes a registration in, and so which rules apply. Online (the default) the person
// registers themselves: the registration window, the waiting list and double opt-in apply.
// Staff (a walk-in at the door, a call or a visitor at the organiser's desk) register people
// at any time, on a draft event too, without opt-in: they saw or heard the person.
struct intake {
  bool staff = false;
  bool waitlist = true;        // a full event puts the person on its waiting list, if it has one
  bool over_capacity = false;  // a seat even when the event or a session is full (staff, on purpose)
  bool mail = true;            // the ticket mail (or the waiting-list notice) to the address given
};

// Decides and stores one registration. Call inside the writer's transaction with
// input that passed validate(): the seat count it reads is then exact.
[[nodiscard]] outcome<registration> register_participant(database& db, event const& e, registration_input const& in,
                                                         sys_seconds at, intake how = {});

[[nodiscard]] std::optional<registration> find_registration(database& db, std::string_view ticket_code);
[[nodiscard]] std::optional<registration> find_registration(database& db, std::int64_t event_id, std::int64_t id);

// Why a confirmed seat cannot be given now: event_full or session_full (with the session's
// title in detail), or nothing. Exact inside the writer's transaction.
[[nodiscard]] std::optional<failure> seat_problem(database& db, event const& e,
                                                  std::vector<std::int64_t> const& sessions);

// The columns read_registration() expects first, in order (without sessions).
inline constexpr std::string_view registration_fields =
    "id, event_id, status, first_name, last_name, email, organisation, organisation_type, position, phone, "
    "language, answers, consent_at, ticket_code, created_at, confirm_by";
[[nodiscard]] registration read_registration(statement const& st);

[[nodiscard]] boost::json::object registration_to_json(registration const& r);

// The status a person is shown (ticket page, manage page): "unconfirmed" while a double
// opt-in waits for its link, else the stored status. The door's SQL says the same.
[[nodiscard]] inline reg_status shown_status(registration const& r) {
  return r.confirm_by && r.status != reg_status::cancelled ? reg_status::unconfirmed : r.status;
}

}  // namespace einlass::checkin
