#pragma once
// Certificates of attendance (issue 15). A person admitted to the event (their admission is
// the proof) gets one; its verification code is printed on it, as a link and a QR code:
//
//   /v/{id}-{mac}      e.g. /v/K7QH3M9X-PA2DF4G7
//
// id: 8 base32 characters (40 random bits), the certificate's own, naming no row; mac: the first
// 8 characters of the server's HMAC (checkin/mail.hpp sign_text) over the id, the holder's name,
// the event, its dates and the working groups. A made-up code or one with a forged mac does not
// verify; neither does one whose name was changed since (the organiser corrected it: the
// certificate made now says the new name, under a new mac). Deleting the person's data ends it.
#include "checkin/db.hpp"
#include "checkin/event.hpp"
#include "checkin/registration.hpp"
#include "checkin/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace einlass::checkin {

// Gives an id to everyone admitted to the event (data not deleted) who has none; returns how
// many were given.
int issue_certificates(database& db, std::int64_t event_id, sys_seconds at);
// One person's id, when they have one.
[[nodiscard]] std::optional<std::string> find_certificate(database& db, std::int64_t event_id,
                                                          std::int64_t registration_id);
// The same for one person: their id, or nothing when they were never admitted.
[[nodiscard]] std::optional<std::string> issue_certificate(database& db, std::int64_t event_id,
                                                           std::int64_t registration_id, sys_seconds at);
// Whether the person was admitted on any list (and so may have a certificate).
[[nodiscard]] bool was_admitted(database& db, std::int64_t registration_id);
// The ids of the event's certificates, by registration.
[[nodiscard]] std::map<std::int64_t, std::string> certificate_ids(database& db, std::int64_t event_id);

// The code printed on the certificate and in its link: id-mac.
[[nodiscard]] std::string certificate_code(database& db, event const& e, registration const& r,
                                           std::string_view public_id);

struct verified_certificate {
  registration reg;
  event e;
};
// What the code's certificate states, when it is genuine and unchanged.
[[nodiscard]] std::optional<verified_certificate> verify_certificate(database& db, std::string_view code);

}  // namespace einlass::checkin
