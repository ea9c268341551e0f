#include "server/admin.hpp"
#include "server/door.hpp"
#include "server/handlers.hpp"
#include "server/manage.hpp"
#include "server/router.hpp"

namespace einlass::server {

router make_router() {
  router r;
  r.add("GET", "/healthz", healthz)
      .add("GET", "/metrics", metrics_text)
      .add("GET", "/ca.crt", ca_certificate)
      .add("GET", "/assets/{*path}", asset)
      .add("POST", "/api/v1/events", for_organiser(create_event))
      .add("GET", "/api/v1/events", for_organiser(list_events))
      .add("GET", "/api/v1/events/{slug}", get_event)
      .add("PATCH", "/api/v1/events/{slug}", for_event(patch_event))
      .add("POST", "/api/v1/events/{slug}/duplicate", for_event(duplicate_event))
      .add("POST", "/api/v1/events/{slug}/organisers", for_event(share_event))
      .add("GET", "/api/v1/events/{slug}/organisers", for_event(list_event_organisers))
      .add("GET", "/api/v1/events/{slug}/stats", for_event(event_stats))
      .add("GET", "/api/v1/events/{slug}/stats.csv", for_event(event_download))
      .add("GET", "/api/v1/events/{slug}/stats.xlsx", for_event(event_download))
      .add("GET", "/api/v1/events/{slug}/arrivals.svg", for_event(arrivals_chart))
      .add("GET", "/api/v1/events/{slug}/audit", for_event(event_audit))
      .add("GET", "/api/v1/events/{slug}/mails", for_event(event_mails))
      .add("GET", "/api/v1/events/{slug}/attendees", for_event(list_attendees))
      .add("GET", "/api/v1/events/{slug}/attendees.csv", for_event(event_download))
      .add("GET", "/api/v1/events/{slug}/attendees.xlsx", for_event(event_download))
      .add("GET", "/api/v1/events/{slug}/attendees.json", for_event(event_download))
      .add("GET", "/api/v1/events/{slug}/attendees/{id}", for_event(get_attendee))
      .add("PATCH", "/api/v1/events/{slug}/attendees/{id}", for_event(patch_attendee))
      .add("POST", "/api/v1/events/{slug}/attendees/{id}/{action}", for_event(attendee_action))
      .add("POST", "/api/v1/events/{slug}/registrations", create_registration)
      .add("GET", "/api/v1/tickets/{file}", ticket_image)
      .add("POST", "/api/v1/events/{slug}/devices", for_event(create_device))
      .add("GET", "/api/v1/events/{slug}/devices", for_event(list_devices))
      .add("DELETE", "/api/v1/events/{slug}/devices/{id}", for_event(revoke_device))
      .add("PATCH", "/api/v1/events/{slug}/devices/{id}", for_event(rename_device))
      .add("POST", "/api/v1/events/{slug}/devices/{id}/pairing", for_event(renew_pairing))
      .add("GET", "/api/v1/me", for_organiser(me))
      .add("POST", "/api/v1/tokens", for_organiser(create_token))
      .add("DELETE", "/api/v1/tokens/{id}", for_organiser(revoke_token))
      .add("POST", "/api/v1/invitations", for_organiser(create_invitation))
      .add("GET", "/api/v1/users", for_organiser(list_users))
      .add("PATCH", "/api/v1/users/{id}", for_organiser(patch_user))
      .add("POST", "/api/v1/users/{id}/{action}", for_organiser(user_action))
      .add("DELETE", "/api/v1/events/{slug}/organisers/{user_id}", for_event(unshare_event))
      .add("POST", "/api/v1/devices/pair", pair_device)
      .add("GET", "/api/v1/device", device_info)
      .add("GET", "/api/v1/device/search", device_search)
      .add("GET", "/api/v1/device/offline", device_offline_list)
      .add("POST", "/api/v1/device/walkins", device_walkin)
      .add("POST", "/api/v1/checkins", checkin_scan)
      .add("POST", "/api/v1/checkins/{id}/undo", checkin_undo)
      .add("GET", "/", home_page)
      .add("GET", "/e/{slug}", event_page)
      .add("POST", "/e/{slug}", event_form_post)
      .add("GET", "/t/{code}", ticket_page)
      .add("GET", "/privacy", privacy_page)
      .add("GET", "/m/{code}", manage_page)
      .add("POST", "/m/{code}", manage_post)
      .add("GET", "/c/{code}", confirm_page)
      .add("POST", "/c/{code}", confirm_post)
      .add("GET", "/checkin", checkin_page)
      .add("GET", "/checkin/pair/{code}", pair_page)
      .add("GET", "/admin/login", login_page)
      .add("POST", "/admin/login", login_post)
      .add("POST", "/admin/logout", logout_post)
      .add("GET", "/admin/invite/{code}", invitation_page)
      .add("POST", "/admin/invite/{code}", invitation_post)
      .add("GET", "/admin", admin_page)
      .add("GET", "/admin/{*path}", admin_page);
  return r;
}

}  // namespace einlass::server
