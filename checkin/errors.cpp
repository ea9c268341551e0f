#include "checkin/errors.hpp"

#include <stdexcept>

namespace einlass::checkin {

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::invalid_field: return "invalid_field";
    case errc::not_found: return "not_found";
    case errc::registration_not_open: return "registration_not_open";
    case errc::registration_closed: return "registration_closed";
    case errc::event_full: return "event_full";
    case errc::session_full: return "session_full";
    case errc::already_registered: return "already_registered";
    case errc::slug_taken: return "slug_taken";
    case errc::event_not_published: return "event_not_published";
    case errc::session_in_use: return "session_in_use";
    case errc::account_exists: return "account_exists";
    case errc::last_admin: return "last_admin";
    case errc::already_answered: return "already_answered";
  }
  return "unknown";
}

void throw_exception_from_error(failure const& f, boost::source_location const&) {
  throw std::logic_error("unchecked outcome: " + std::string(to_string(f.code)));
}

}  // namespace einlass::checkin
