#pragma once
// The participant's signed links from the e-mails (server/manage_pages.cpp).
#include "server/app.hpp"

namespace einlass::server {

awaitable<response> manage_page(request& req, app& a);   // GET  /m/{code}?e=&s=
awaitable<response> manage_post(request& req, app& a);   // POST /m/{code}: cancel | sessions
awaitable<response> confirm_page(request& req, app& a);  // GET  /c/{code}?e=&s=
awaitable<response> confirm_post(request& req, app& a);  // POST /c/{code}: double opt-in

}  // namespace einlass::server
