#pragma once
// E-mail as data: the outbox (written in the transaction of the change that causes a mail,
// so a mail is never lost and never sent for a change that did not happen), signed links,
// and the timed mails (opt-in expiry, reminders, thank-you). Sending is the server's.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/event.hpp"
#include "checkin/registration.hpp"
#include "checkin/time.hpp"

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

// What a mail is about. Its text is rendered when it is sent, from the registration as it is then.
// "message": what an organiser wrote to attendees (checkin/messages.hpp).
inline constexpr std::array<std::string_view, 9> mail_kinds{"ticket",    "waitlisted", "promoted", "confirm", "changed",
                                                            "cancelled", "reminder",   "thanks",   "message"};

// Queues a mail to the registration's address (nothing for a walk-in without one). Call in
// the transaction of the change.
void enqueue_mail(database& db, std::int64_t event_id, std::int64_t registration_id, std::string_view kind,
                  sys_seconds at);

// The mail that carries a registration as it stands: the request to confirm the address
// (double opt-in, not yet confirmed), the waiting-list notice, or the ticket.
[[nodiscard]] std::string_view standing_mail_kind(std::optional<sys_seconds> const& confirm_by, reg_status status);

struct outbox_item {
  std::int64_t id = 0, event_id = 0;
  std::optional<std::int64_t> registration_id;
  std::string kind, status, message_id;
  int attempts = 0;
  sys_seconds next_attempt_at{}, created_at{};
  std::optional<sys_seconds> sent_at;
  std::string last_error;
  std::optional<std::int64_t> message_ref;  // kind "message": which one
  std::string to_address, language;         // a test message to the organiser: no registration
};

// Takes up to `limit` due mails for this sender (in the writer's transaction): claimed until
// at + lease, so no other sender (another server on the same PostgreSQL, each running its
// own) takes them meanwhile. mark_sent, mark_attempt_failed or drop_mail settles each and
// ends the claim; a sender that dies first leaves them to be taken again when it runs out.
[[nodiscard]] std::vector<outbox_item> claim_due_mails(database& db, sys_seconds at, int limit,
                                                       std::chrono::seconds lease = std::chrono::minutes(5));
// Gives claimed mails back (a sender stopping before it sent them).
void release_mails(database& db, std::vector<std::int64_t> const& ids);
// Ends every claim: on SQLite at start, where this server's sender is the only one and a
// claim left over is one its killed predecessor held. Returns how many there were.
int release_all_mail_claims(database& db);
void mark_sent(database& db, std::int64_t id, sys_seconds at);
// A failed attempt: tried again after a growing pause (base, 2 base, 4 base ... at most 120
// base; with the default 30 s: 30 s, 1, 2, 4 ... minutes, at most an hour); given up (status
// failed) after max_mail_attempts.
void mark_attempt_failed(database& db, std::int64_t id, std::string const& error, sys_seconds at,
                         std::chrono::seconds base = std::chrono::seconds(30));
inline constexpr int max_mail_attempts = 30;  // about a day of trying
// Ends a mail that no longer applies (the registration was cancelled or deleted first).
void drop_mail(database& db, std::int64_t id, std::string const& reason);
[[nodiscard]] std::chrono::seconds retry_delay(int attempts, std::chrono::seconds base = std::chrono::seconds(30));
// Everything known about the mails of these registrations, by registration.
[[nodiscard]] std::map<std::int64_t, std::vector<outbox_item>> mails_of_registrations(
    database& db, std::vector<std::int64_t> const& ids);
// The earliest next attempt of any pending mail.
[[nodiscard]] std::optional<sys_seconds> next_mail_due(database& db);

[[nodiscard]] std::vector<outbox_item> mails_of_registration(database& db, std::int64_t registration_id);
[[nodiscard]] std::vector<outbox_item> mails_of_event(database& db, std::int64_t event_id, int limit);
// The Message-IDs of every mail of the event, sent or not (to delete its copies on disk).
[[nodiscard]] std::vector<std::string> message_ids_of_event(database& db, std::int64_t event_id);
[[nodiscard]] boost::json::object mail_to_json(outbox_item const& m, std::string_view zone);

// Links in mails. `purpose` is what the link may do ("manage", "confirm"); it stops working at
// `expires`. The signature (HMAC-SHA-256, a server key kept in the database) covers purpose,
// ticket code and expiry; nothing in the link names a row.
struct signed_link {
  std::int64_t expires = 0;  // seconds since the epoch
  std::string signature;     // base32
};
// The same key's HMAC of purpose and text, base32 (32 characters): what the links and the
// certificates' verification codes (checkin/certificates.hpp) are signed with.
[[nodiscard]] std::string sign_text(database& db, std::string_view purpose, std::string_view text);
[[nodiscard]] signed_link sign_link(database& db, std::string_view purpose, std::string_view code, sys_seconds expires);
[[nodiscard]] bool verify_link(database& db, std::string_view purpose, std::string_view code, std::int64_t expires,
                               std::string_view signature, sys_seconds at);

// "Send me my ticket again": queues the mail that fits where the registration of `email` at the
// event stands (ticket, waiting-list notice, or the request to confirm), when there is one not
// cancelled. Whether there was one is for the caller to keep to itself.
bool resend_standing_mail(database& db, std::int64_t event_id, std::string_view email, sys_seconds at);

// Double opt-in: confirms a registration waiting for it (and queues its ticket). not_found
// when there is nothing to confirm any more (already confirmed, cancelled, expired).
[[nodiscard]] outcome<std::int64_t> confirm_opt_in(database& db, std::string_view code, sys_seconds at);

// The timed work, run by the server's housekeeping: cancels registrations whose opt-in time
// is up (their seats go to the waiting list, with mails), and queues reminders and
// thank-you mails that are due. Returns how many registrations expired.
int run_mail_schedule(database& db, sys_seconds at);

}  // namespace einlass::checkin
