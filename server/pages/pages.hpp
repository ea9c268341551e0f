#pragma once
// The HTML pages: plain coroutines (request, app) -> response over server/pages/html.hpp.
// Every form posts with a CSRF token; the route table is server/app/routes.cpp.
#include "server/app/app.hpp"

namespace einlass::server {

// The participants' pages (server/pages/pages.cpp)
awaitable<response> home_page(request& req, app& a);
awaitable<response> event_page(request& req, app& a);
awaitable<response> event_form_post(request& req, app& a);
awaitable<response> ticket_page(request& req, app& a);
awaitable<response> privacy_page(request& req, app& a);

// An organisation's public pages (organisation_pages.cpp): /o/{org}, its embeddable list,
// its calendar feed, imprint, privacy notice and logo.
awaitable<response> organisation_page(request& req, app& a);
awaitable<response> organisation_embed(request& req, app& a);
awaitable<response> organisation_feed(request& req, app& a);
awaitable<response> organisation_imprint(request& req, app& a);
awaitable<response> organisation_privacy(request& req, app& a);
awaitable<response> organisation_logo_file(request& req, app& a);

// The participant's signed links from the e-mails (server/pages/manage_pages.cpp)
awaitable<response> manage_page(request& req, app& a);         // GET  /m/{code}?e=&s=
awaitable<response> manage_post(request& req, app& a);         // POST /m/{code}: cancel | sessions
awaitable<response> confirm_page(request& req, app& a);        // GET  /c/{code}?e=&s=
awaitable<response> confirm_post(request& req, app& a);        // POST /c/{code}: double opt-in
awaitable<response> verify_page(request& req, app& a);         // GET  /v/{code}, /v?code=
awaitable<response> holder_certificate(request& req, app& a);  // GET  /t/{code}/certificate.pdf
awaitable<response> feedback_page(request& req, app& a);       // GET  /f/{code}?e=&s=
awaitable<response> feedback_post(request& req, app& a);       // POST /f/{code}

// The workspace (server/pages/admin_pages.cpp)
awaitable<response> login_page(request& req, app& a);
awaitable<response> login_post(request& req, app& a);
awaitable<response> logout_post(request& req, app& a);
awaitable<response> invitation_page(request& req, app& a);
awaitable<response> invitation_post(request& req, app& a);
awaitable<response> admin_page(request& req, app& a);

// "Forgot password" (server/pages/account_pages.cpp): the address form and the link's form.
awaitable<response> forgot_page(request& req, app& a);
awaitable<response> forgot_post(request& req, app& a);
awaitable<response> reset_page(request& req, app& a);
awaitable<response> reset_post(request& req, app& a);

// The door tablet (server/pages/door_pages.cpp)
awaitable<response> checkin_page(request& req, app& a);
awaitable<response> pair_page(request& req, app& a);

}  // namespace einlass::server
