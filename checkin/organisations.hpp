#pragma once
// Organisations: who invites to an event and who answers for its data. An admin makes them,
// organisers belong to them, each event belongs to one. Their details make the imprint and,
// with the templates in the catalogues, the privacy notice a guest consents to; the notice's
// version counts up whenever its content changes, and each consent stores the version shown.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/event.hpp"
#include "checkin/localized.hpp"
#include "checkin/time.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace einlass::checkin {

// The imprint's facts (provider with legal form, postal address, representative, quick
// contact, register entry, VAT id, website) and the privacy notice's (data protection
// officer's contact, the supervisory authority).
inline constexpr std::array<std::string_view, 10> organisation_details{
    "legal_name", "address", "representative", "email", "phone", "website", "register", "vat_id", "dpo", "authority"};
// Texts the organisation writes per language: a line about itself for its page, and what it
// adds to the imprint and to the notice (recipients such as the funder, further purposes).
inline constexpr std::array<std::string_view, 3> organisation_texts{"about", "imprint", "privacy"};

// PNG or SVG, at most this size; served as an image, an SVG with a CSP that runs no script.
inline constexpr std::size_t max_logo_bytes = std::size_t{512} * 1024;

struct organisation {
  std::int64_t id = 0;
  std::string slug, name;
  std::map<std::string, std::string, std::less<>> details;  // organisation_details
  // organisation_texts -> language -> text
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts;
  std::int64_t privacy_version = 1;
  std::string logo_type;  // image/png, image/svg+xml, or empty: none

  [[nodiscard]] std::string_view detail(std::string_view key) const;
  // One of organisation_texts in the reader's language, else German, else any written.
  [[nodiscard]] shown text(std::string_view which, std::string_view reader) const;
  // What a consent records: the organisation and the version of its notice.
  [[nodiscard]] std::string consent_version() const;
};

// Reads POST/PATCH bodies: {slug, name, details: {...}, texts: {about: {de, en, ar}, ...}}.
// For a PATCH, `base` holds what is there and only what is sent replaces it.
[[nodiscard]] outcome<organisation> organisation_from_json(boost::json::value const& v, organisation base = {});
// `full` adds what only members and admins see (members are listed separately).
[[nodiscard]] boost::json::object organisation_to_json(organisation const& o, bool full);

// Writers' side. slug_taken when the slug is in use.
[[nodiscard]] outcome<organisation> create_organisation(database& db, organisation o, sys_seconds at);
// Stores `next` over `current`; the notice's version counts up when what it says changed.
[[nodiscard]] organisation update_organisation(database& db, organisation const& current, organisation next);
[[nodiscard]] std::optional<organisation> find_organisation(database& db, std::string_view slug);
[[nodiscard]] std::optional<organisation> find_organisation(database& db, std::int64_t id);
// Every organisation (an admin) or those the user belongs to, by name.
[[nodiscard]] std::vector<organisation> list_organisations(database& db, bool all, std::int64_t user_id);

[[nodiscard]] bool is_member(database& db, std::int64_t organisation_id, std::int64_t user_id);
// Adds or removes; false when nothing changed.
bool add_member(database& db, std::int64_t organisation_id, std::int64_t user_id);
bool remove_member(database& db, std::int64_t organisation_id, std::int64_t user_id);
struct member {
  std::int64_t id = 0;
  std::string email;
};
[[nodiscard]] std::vector<member> organisation_members(database& db, std::int64_t organisation_id);

// A logo: PNG (by its signature) or SVG (UTF-8 text with an <svg element), at most
// max_logo_bytes; invalid_field "logo" with the reason otherwise. Empty bytes remove it.
[[nodiscard]] outcome<bool> set_logo(database& db, std::int64_t organisation_id, std::string_view type,
                                     std::string const& bytes);
[[nodiscard]] std::optional<uploaded_image> organisation_logo(database& db, std::string_view slug);

// The organisation an event belongs to (none for events made before organisations).
[[nodiscard]] std::optional<organisation> organisation_of(database& db, event const& e);

// The version of the notice a guest of this event consents to: the organisation's
// ("slug/3"), or the built-in notice's for an event without one.
[[nodiscard]] std::string consent_version_of(database& db, event const& e);

// Published events of the organisation that have not ended by `at`, soonest first, with
// their texts and counts (the organisation's page and feed).
[[nodiscard]] std::vector<event> upcoming_events_of(database& db, std::int64_t organisation_id, sys_seconds at,
                                                    int limit);

}  // namespace einlass::checkin
