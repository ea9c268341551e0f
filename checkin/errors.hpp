#pragma once
// Expected outcomes that are not successes: values, not exceptions. One place in the
// server (server/errors.cpp) maps them to HTTP status and a localised JSON body.
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace einlass::checkin {

enum class errc {
  invalid_field,          // 422: see field_errors
  not_found,              // 404
  registration_not_open,  // 409
  registration_closed,    // 409
  event_full,             // 409
  session_full,           // 409
  already_registered,     // 409
  slug_taken,             // 409
  event_not_published,    // 409
  session_in_use,         // 409: a session people are registered for cannot be removed
  account_exists,         // 409: an invitation for an address that has an account already
  last_admin,             // 409: the change would leave no admin who can sign in
  already_answered,       // 409: the feedback form of this link was answered
};

[[nodiscard]] std::string_view to_string(errc e) noexcept;

// One field at fault and why: `reason` is a message key (required, too_long, invalid_email, ...).
struct field_error {
  std::string field;
  std::string reason;
  friend bool operator==(field_error const&, field_error const&) = default;
};

struct failure {
  errc code;
  std::vector<field_error> fields;  // the fields at fault, first one first
  std::string detail;               // e.g. the title of the session that is full
};

[[nodiscard]] inline failure fail(errc code, std::string field = {}, std::string reason = {}) {
  failure f{code, {}, {}};
  if (!field.empty()) f.fields.push_back({std::move(field), std::move(reason)});
  return f;
}

[[noreturn]] void throw_exception_from_error(failure const& f, boost::source_location const& loc);

template <class T>
using outcome = boost::system::result<T, failure>;

}  // namespace einlass::checkin
