#pragma once
// Pieces the participant pages share (pages.cpp, event_form.cpp, manage_pages.cpp).
#include "checkin/event.hpp"
#include "server/http/http.hpp"

#include <string>
#include <string_view>

namespace einlass::server {

// When and where, as <dt>/<dd> pairs for the caller's <dl>.
[[nodiscard]] std::string event_facts(checkin::event const& e, std::string_view lang);
// A session's time in the event's zone, or empty when it has none.
[[nodiscard]] std::string session_time(checkin::event const& e, checkin::session_info const& s, std::string_view lang);
// A 404 page with one message.
[[nodiscard]] response not_found_page(request const& req, std::string_view lang, std::string_view message_key);

}  // namespace einlass::server
