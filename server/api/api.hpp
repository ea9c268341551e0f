#pragma once
// The JSON API: plain coroutines (request, app) -> response that never see a socket. Every
// organiser's call runs behind for_organiser or for_event, every door call behind
// require_device (server/app/auth.hpp); the route table is server/app/routes.cpp.
#include "server/app/app.hpp"
#include "server/app/auth.hpp"

namespace einlass::server {

// Events and registration (server/api/api.cpp)
awaitable<response> create_event(request& req, app& a, organiser_call& call);
awaitable<response> get_event(request& req, app& a);
awaitable<response> create_registration(request& req, app& a);
// POST /api/v1/events/{slug}/tickets/resend {email}: 202 always; a registered address gets its mail again.
awaitable<response> resend_ticket(request& req, app& a);
awaitable<response> ticket_image(request& req, app& a);

// The organisers' events (server/api/admin_api.cpp)
awaitable<response> list_events(request& req, app& a, organiser_call& call);
awaitable<response> patch_event(request& req, app& a, event_call& call);
awaitable<response> duplicate_event(request& req, app& a, event_call& call);
awaitable<response> share_event(request& req, app& a, event_call& call);
awaitable<response> event_stats(request& req, app& a, event_call& call);
// Tickets two doors admitted (checkin/conflicts.hpp).
awaitable<response> event_conflicts(request& req, app& a, event_call& call);
awaitable<response> event_audit(request& req, app& a, event_call& call);
awaitable<response> event_mails(request& req, app& a, event_call& call);
awaitable<response> mail_preview(request& req, app& a, event_call& call);
awaitable<response> attendance_download(request& req, app& a, event_call& call);
awaitable<response> badges_download(request& req, app& a, event_call& call);
awaitable<response> certificates_download(request& req, app& a, event_call& call);
awaitable<response> report_download(request& req, app& a, event_call& call);
awaitable<response> event_image_call(request& req, app& a, event_call& call);
awaitable<response> device_badge(request& req, app& a, device_call& call);

// Organisations (organisations_api.cpp).
awaitable<response> create_organisation(request& req, app& a, organiser_call& call);
awaitable<response> list_organisations(request& req, app& a, organiser_call& call);
awaitable<response> get_organisation(request& req, app& a, organisation_call& call);
awaitable<response> patch_organisation(request& req, app& a, organisation_call& call);
awaitable<response> organisation_logo_call(request& req, app& a, organisation_call& call);
awaitable<response> organisation_members_call(request& req, app& a, organisation_call& call);
awaitable<response> list_organisation_webhooks(request& req, app& a, organisation_call& call);
// GET /api/v1/events/{slug}/organisers: the owner and those the event is shared with.
awaitable<response> list_event_organisers(request& req, app& a, event_call& call);
// DELETE /api/v1/events/{slug}/organisers/{user_id}: takes a share of the event back.
awaitable<response> unshare_event(request& req, app& a, event_call& call);

// Attendees (server/api/attendees_api.cpp)
awaitable<response> list_attendees(request& req, app& a, event_call& call);
// Webhooks (server/api/webhooks_api.cpp): POST /api/v1/webhooks, GET …/events/{slug}/webhooks,
// DELETE /api/v1/webhooks/{id}, POST /api/v1/webhooks/{id}/test and …/deliveries/{delivery}/retry.
awaitable<response> create_webhook(request& req, app& a, organiser_call& call);
awaitable<response> list_webhooks(request& req, app& a, event_call& call);
awaitable<response> webhook_call(request& req, app& a, organiser_call& call);
// POST /api/v1/events/{slug}/messages: a mail to chosen attendees (or a preview, or a test to oneself).
awaitable<response> send_message(request& req, app& a, event_call& call);
awaitable<response> list_messages(request& req, app& a, event_call& call);
// POST /api/v1/events/{slug}/attendees: a person taken by phone or at the desk.
awaitable<response> add_attendee(request& req, app& a, event_call& call);
awaitable<response> get_attendee(request& req, app& a, event_call& call);
awaitable<response> patch_attendee(request& req, app& a, event_call& call);
// POST /api/v1/events/{slug}/attendees/bulk: one action on many people.
awaitable<response> bulk_action(request& req, app& a, event_call& call);
awaitable<response> attendee_action(request& req, app& a,
                                    event_call& call);  // cancel | restore | confirm | anonymise | resend

// Accounts (server/api/admin_api.cpp)
awaitable<response> me(request& req, app& a, organiser_call& call);
awaitable<response> create_token(request& req, app& a, organiser_call& call);
awaitable<response> revoke_token(request& req, app& a, organiser_call& call);
awaitable<response> create_invitation(request& req, app& a, organiser_call& call);
awaitable<response> list_users(request& req, app& a, organiser_call& call);
// Admins: PATCH /api/v1/users/{id} {role?, disabled?}; POST /api/v1/users/{id}/disable|enable.
awaitable<response> patch_user(request& req, app& a, organiser_call& call);
awaitable<response> user_action(request& req, app& a, organiser_call& call);
// The signed-in organiser's own logins: list, and end one.
awaitable<response> my_sessions(request& req, app& a, organiser_call& call);
awaitable<response> end_my_session(request& req, app& a, organiser_call& call);

// Door devices as the organiser manages them (server/api/door_api.cpp, admin_api.cpp)
awaitable<response> create_device(request& req, app& a, event_call& call);
awaitable<response> list_devices(request& req, app& a, event_call& call);
awaitable<response> revoke_device(request& req, app& a, event_call& call);
awaitable<response> rename_device(request& req, app& a, event_call& call);
awaitable<response> renew_pairing(request& req, app& a, event_call& call);

// The door itself (server/api/door_api.cpp): pairing with a one-time code, then the device's calls.
awaitable<response> pair_device(request& req, app& a);
awaitable<response> device_info(request& req, app& a, device_call& call);
awaitable<response> checkin_scan(request& req, app& a, device_call& call);
awaitable<response> checkin_undo(request& req, app& a, device_call& call);
awaitable<response> device_search(request& req, app& a, device_call& call);
// Tickets to refuse or warn about while offline.
awaitable<response> device_offline_list(request& req, app& a, device_call& call);
awaitable<response> device_walkin(request& req, app& a, device_call& call);

// Downloads and the arrivals chart (server/api/downloads.cpp)
awaitable<response> event_download(request& req, app& a,
                                   event_call& call);  // attendees.{csv,xlsx,json}, stats.{csv,xlsx}
awaitable<response> arrivals_chart(request& req, app& a, event_call& call);

// Operations and assets (server/api/ops.cpp)
awaitable<response> healthz(request& req, app& a);
awaitable<response> metrics_text(request& req, app& a);
// The local certificate authority of --tls-self-signed, for tablets to trust once (404 without).
awaitable<response> ca_certificate(request& req, app& a);
// The door page as a web app: its manifest (/checkin.webmanifest) and service worker
// (/checkin-sw.js), which keeps the page and its assets for a reload without network.
awaitable<response> door_manifest(request& req, app& a);
awaitable<response> door_service_worker(request& req, app& a);
// Changes whenever an asset the door page loads changes: the service worker's version.
[[nodiscard]] std::string const& door_assets_version();
awaitable<response> asset(request& req, app& a);

}  // namespace einlass::server
