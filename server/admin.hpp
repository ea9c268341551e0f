#pragma once
// The organisers' side: their events, attendees, downloads, statistics, accounts and the
// workspace pages. Every call answers 401 without credentials and checks the organiser's
// right to the event (server/auth.hpp).
#include "server/app.hpp"
#include "server/auth.hpp"

namespace einlass::server {

// Events (server/admin_api.cpp)
awaitable<response> list_events(request& req, app& a, organiser_call& call);
awaitable<response> patch_event(request& req, app& a, event_call& call);
awaitable<response> duplicate_event(request& req, app& a, event_call& call);
awaitable<response> share_event(request& req, app& a, event_call& call);
awaitable<response> event_stats(request& req, app& a, event_call& call);
awaitable<response> event_audit(request& req, app& a, event_call& call);
awaitable<response> event_mails(request& req, app& a, event_call& call);

// Attendees (server/admin_api.cpp)
awaitable<response> list_attendees(request& req, app& a, event_call& call);
awaitable<response> get_attendee(request& req, app& a, event_call& call);
awaitable<response> patch_attendee(request& req, app& a, event_call& call);
awaitable<response> attendee_action(request& req, app& a, event_call& call);  // cancel | restore | confirm | anonymise | resend

// Devices beyond add/list/revoke (server/admin_api.cpp)
awaitable<response> rename_device(request& req, app& a, event_call& call);
awaitable<response> renew_pairing(request& req, app& a, event_call& call);

// Accounts (server/admin_api.cpp)
awaitable<response> me(request& req, app& a, organiser_call& call);
awaitable<response> create_token(request& req, app& a, organiser_call& call);
awaitable<response> revoke_token(request& req, app& a, organiser_call& call);
awaitable<response> create_invitation(request& req, app& a, organiser_call& call);
awaitable<response> list_users(request& req, app& a, organiser_call& call);
// Admins: PATCH /api/v1/users/{id} {role?, disabled?}; POST /api/v1/users/{id}/disable|enable.
awaitable<response> patch_user(request& req, app& a, organiser_call& call);
awaitable<response> user_action(request& req, app& a, organiser_call& call);
// GET /api/v1/events/{slug}/organisers: the owner and those the event is shared with.
awaitable<response> list_event_organisers(request& req, app& a, event_call& call);
// DELETE /api/v1/events/{slug}/organisers/{user_id}: takes a share of the event back.
awaitable<response> unshare_event(request& req, app& a, event_call& call);

// Downloads and the arrivals chart (server/downloads.cpp)
awaitable<response> event_download(request& req, app& a, event_call& call);  // attendees.{csv,xlsx,json}, stats.{csv,xlsx}
awaitable<response> arrivals_chart(request& req, app& a, event_call& call);

// Workspace pages (server/admin_pages.cpp)
awaitable<response> login_page(request& req, app& a);
awaitable<response> login_post(request& req, app& a);
awaitable<response> logout_post(request& req, app& a);
awaitable<response> invitation_page(request& req, app& a);
awaitable<response> invitation_post(request& req, app& a);

// "Forgot password" (server/account_pages.cpp): the address form and the link's form.
awaitable<response> forgot_page(request& req, app& a);
awaitable<response> forgot_post(request& req, app& a);
awaitable<response> reset_page(request& req, app& a);
awaitable<response> reset_post(request& req, app& a);
// The signed-in organiser's own logins (server/admin_api.cpp): list, and end one.
awaitable<response> my_sessions(request& req, app& a, organiser_call& call);
awaitable<response> end_my_session(request& req, app& a, organiser_call& call);
awaitable<response> admin_page(request& req, app& a);

}  // namespace einlass::server
