#pragma once
// Messages to attendees: the organiser writes a subject and a text, in German and where wanted
// in English and Arabic, and picks the recipients by the attendee list's filter. Each recipient
// gets the message in their language where it was written, else in the event's language (German).
// Sent through the outbox (checkin/mail.hpp): once, retried, its delivery listed.
#include "checkin/attendees.hpp"
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/users.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <string>
#include <vector>

namespace einlass::checkin {

// A text per language ("de", "en", "ar"), only the languages written.
using texts_by_language = std::map<std::string, std::string>;

// The language a reader of `lang` gets: theirs when written, else German, else any written.
[[nodiscard]] std::string written_language(texts_by_language const& t, std::string_view lang);

struct message_input {
  texts_by_language subject, body;
  attendee_filter to;  // status, session, organisation type, checked in
};

// From {subject, body, to: {status, session, organisation_type, checked_in: "yes"|"no"}}; a
// text is a string (German) or {"de": …, "en": …, "ar": …}. Each language written needs both a
// subject (a line, at most 200 characters) and a text (at most 10,000).
[[nodiscard]] outcome<message_input> message_from_json(boost::json::value const& v, event const& e);

// The registrations the message would reach: matching the filter, with an address, not deleted.
// By language, for the preview.
[[nodiscard]] std::map<std::string, std::int64_t> count_recipients(database& db, std::int64_t event_id,
                                                                   attendee_filter const& to);

// Stores the message and queues one mail per recipient; returns the message's id. With `test`
// the one recipient is the organiser, in each language written. Call in the writer's transaction.
std::int64_t queue_message(database& db, std::int64_t event_id, message_input const& m, user const& who, bool test,
                           sys_seconds at);

struct stored_message {
  std::int64_t id = 0, event_id = 0;
  texts_by_language subject, body;
  boost::json::object audience;
  std::int64_t recipients = 0;
  bool test = false;
  std::string created_by;  // the organiser's address
  sys_seconds created_at{};
  std::int64_t sent = 0, pending = 0, failed = 0;  // the delivery of its mails now
};
[[nodiscard]] std::optional<stored_message> find_message(database& db, std::int64_t id);
// Newest first.
[[nodiscard]] std::vector<stored_message> messages_of_event(database& db, std::int64_t event_id);
[[nodiscard]] boost::json::object message_to_json(stored_message const& m, std::string_view zone);

}  // namespace einlass::checkin
