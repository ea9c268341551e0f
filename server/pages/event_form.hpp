#pragma once
// The event page's registration form as plain HTML: works without JavaScript, keeps what
// was typed when it comes back with errors, and names each error next to its field and in
// a summary that links to it.
#include "checkin/errors.hpp"
#include "checkin/event.hpp"
#include "checkin/registration.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace einlass::server {

struct form_state {
  checkin::registration_input values;
  std::vector<checkin::field_error> errors;
  std::string notice;  // a message for the whole form (full, closed, rate limited)
  std::string detail;  // e.g. the full session's title
};

// The notice above the form, and whether the form is offered at all (draft, window, full).
[[nodiscard]] std::pair<std::string, bool> availability(checkin::event const& e, std::string_view lang);

// The event's facts, description and the form (or the notice why there is none).
[[nodiscard]] std::string render_event_body(checkin::event const& e, std::string_view lang, form_state const& st);

}  // namespace einlass::server
