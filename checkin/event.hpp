#pragma once
// Events, their sessions (working groups, topic tables, slots) and their questions.
#include "checkin/errors.hpp"
#include "checkin/localized.hpp"
#include "checkin/mail_texts.hpp"
#include "checkin/paperwork.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

enum class field_mode { off, optional, required };

// Standard fields an organiser may ask for besides name and e-mail (always required).
inline constexpr std::array<std::string_view, 4> standard_fields{"organisation", "organisation_type", "position",
                                                                 "phone"};
inline constexpr std::array<std::string_view, 7> organisation_types{
    "company", "chamber", "public_administration", "job_centre", "education_provider", "migrant_organisation", "other"};
inline constexpr std::array<std::string_view, 4> question_kinds{"text", "single", "multiple", "checkbox"};

struct session_info {
  std::int64_t id = 0;
  std::string title, description;        // in the event's language
  translations texts;                    // in others
  std::optional<std::int64_t> capacity;  // none: limited only by the event
  std::optional<sys_seconds> starts_at, ends_at;
  std::int64_t confirmed = 0;
  [[nodiscard]] std::optional<std::int64_t> seats_left() const;
};

struct question {
  std::string key;  // stable id in answers: q1, q2, ...
  std::string kind;
  std::string label;
  bool required = false;
  std::vector<std::string> options;  // what answers store, in the event's language
  translations texts;                // label and options in others
};

struct event {
  std::int64_t id = 0;
  std::string slug, title, description;  // texts in `language`, the fallback
  std::string language = "de";
  translations texts;  // title, description, venue, address in other languages
  mail_texts mail;     // the organiser's own words in each kind of mail
  paperwork papers;    // certificates and the feedback form
  sys_seconds starts_at{}, ends_at{};
  std::string timezone = "Europe/Berlin";
  std::string venue, address;
  std::optional<std::int64_t> capacity;
  bool waitlist = false;
  std::optional<sys_seconds> registration_opens_at, registration_closes_at;
  std::string status = "published";
  std::map<std::string, field_mode, std::less<>> fields;
  std::optional<std::int64_t> owner_id;
  std::string organisation;                    // the slug of the organisation it belongs to, or empty
  std::optional<std::int64_t> retention_days;  // personal data deleted this many days after the end
  std::optional<sys_seconds> personal_data_deleted_at;
  std::optional<std::int64_t> opt_in_hours;   // double opt-in: a seat is held this long for the link
  std::optional<std::int64_t> reminder_days;  // a reminder mail this many days before the start
  bool thank_you = false;                     // a thank-you mail after the end to those who came
  std::string sign_public_key;
  std::vector<session_info> sessions;
  std::vector<question> questions;
  // Counts, filled when loaded.
  std::int64_t confirmed = 0, waitlisted = 0, cancelled = 0;

  [[nodiscard]] field_mode mode_of(std::string_view field) const;
  [[nodiscard]] std::optional<std::int64_t> seats_left() const;
  [[nodiscard]] session_info const* find_session(std::int64_t id) const;

  // Texts in the reader's language where written, else in the event's.
  [[nodiscard]] shown text(text_field f, std::string_view reader) const;
  [[nodiscard]] shown text(session_info const& s, text_field f, std::string_view reader) const;
  [[nodiscard]] shown label(question const& q, std::string_view reader) const;
  [[nodiscard]] shown_options options(question const& q, std::string_view reader) const;
  // The languages a reader finds texts in: the event's and those with a translated title.
  [[nodiscard]] std::vector<std::string_view> languages() const;

  enum class window { not_yet_open, open, closed };
  [[nodiscard]] window registration_window(sys_seconds at) const;
};

// Reads an event from the JSON of POST /api/v1/events (and `einlass event create`).
// Every field error is named by its JSON path, e.g. "sessions[1].capacity". For an update,
// sessions may carry their "id" and questions their "key" to keep them; new questions get
// their key when stored.
[[nodiscard]] outcome<event> event_from_json(boost::json::value const& v);

// The public view (GET /api/v1/events/{slug}); `full` adds what only organisers see. Texts are
// strings in `lang` (fallback as in event::text); without one, organisers get each text as an
// object of its languages ({"de": "…", "ar": "…"}) and others strings in the event's language.
[[nodiscard]] boost::json::object event_to_json(event const& e, bool full, std::string_view lang = {});

[[nodiscard]] std::string_view to_string(field_mode m);

}  // namespace einlass::checkin
