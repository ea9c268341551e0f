#pragma once
// Pieces the participant pages share (pages.cpp, event_form.cpp, manage_pages.cpp).
#include "checkin/event.hpp"
#include "checkin/organisations.hpp"
#include "checkin/registration.hpp"
#include "server/app/requests.hpp"
#include "server/http/http.hpp"
#include "server/pages/html.hpp"

#include <optional>

#include <string>
#include <string_view>

namespace einlass::server {

class app;

// When and where, as <dt>/<dd> pairs for the caller's <dl>.
[[nodiscard]] std::string event_facts(checkin::event const& e, std::string_view lang);
// A session's time in the event's zone, or empty when it has none.
[[nodiscard]] std::string session_time(checkin::event const& e, checkin::session_info const& s, std::string_view lang);
// Who invites, on a page: the organisation's logo and name in the header, and a footer naming
// it with links to its imprint and privacy notice (without one: the generic notice).
void frame_page(page& p, checkin::organisation const* org);
// The same for a page of `e`: its organisation looked up once here.
void frame_page(page& p, app& a, checkin::event const& e);
// The privacy notice a guest of this event consents to.
[[nodiscard]] std::string privacy_link(std::string_view organisation_slug, std::string_view lang);

// The signed links in the mails (checkin/mail.hpp): the ticket code from the path, expiry
// and signature from the query (GET) or the form (POST), which carries them on so the
// signature also guards the form against CSRF.
struct link_params {
  std::string code, signature;
  std::int64_t expires = 0;
};
[[nodiscard]] link_params read_link(request const& req, fields const& form);
[[nodiscard]] bool valid_link(app& a, std::string_view purpose, link_params const& p);
// The hidden fields that carry the link in a form.
[[nodiscard]] std::string hidden_link(link_params const& p);
// The ticket a code names and its event (both empty for an unknown code), and the reader's
// language: chosen (query, cookie), else the holder's.
struct ticket_holder {
  std::optional<checkin::registration> r;
  std::optional<checkin::event> e;
  std::string lang;
};
[[nodiscard]] ticket_holder find_holder(request const& req, app& a, std::string const& code);
// The reader's language: chosen (query, cookie), else the registration's.
[[nodiscard]] std::string language_of(request const& req, checkin::registration const& r);
// The registration and its event behind a valid link, or the 404 page.
[[nodiscard]] reply<std::pair<checkin::registration, checkin::event>> load_link(app& a, request const& req,
                                                                                std::string_view purpose,
                                                                                link_params const& p);

// A page behind a link only its holder has (a signed link, a certificate's code): framed by the
// event's organisation when there is an event, never cached, never indexed, no referrer.
[[nodiscard]] response private_page(request const& req, app& a, std::string const& lang, std::string const& title,
                                    std::string body, int status, checkin::event const* e);

// A 404 page with one message.
[[nodiscard]] response not_found_page(request const& req, std::string_view lang, std::string_view message_key);

}  // namespace einlass::server
