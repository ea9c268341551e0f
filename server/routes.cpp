#include "server/door.hpp"
#include "server/handlers.hpp"
#include "server/router.hpp"

namespace einlass::server {

router make_router() {
  router r;
  r.add("GET", "/healthz", healthz)
      .add("GET", "/metrics", metrics_text)
      .add("GET", "/assets/{*path}", asset)
      .add("POST", "/api/v1/events", create_event)
      .add("GET", "/api/v1/events/{slug}", get_event)
      .add("POST", "/api/v1/events/{slug}/registrations", create_registration)
      .add("GET", "/api/v1/tickets/{file}", ticket_image)
      .add("POST", "/api/v1/events/{slug}/devices", create_device)
      .add("GET", "/api/v1/events/{slug}/devices", list_devices)
      .add("DELETE", "/api/v1/events/{slug}/devices/{id}", revoke_device)
      .add("POST", "/api/v1/devices/pair", pair_device)
      .add("GET", "/api/v1/device", device_info)
      .add("GET", "/api/v1/device/search", device_search)
      .add("POST", "/api/v1/device/walkins", device_walkin)
      .add("POST", "/api/v1/checkins", checkin_scan)
      .add("POST", "/api/v1/checkins/{id}/undo", checkin_undo)
      .add("GET", "/", home_page)
      .add("GET", "/e/{slug}", event_page)
      .add("POST", "/e/{slug}", event_form_post)
      .add("GET", "/t/{code}", ticket_page)
      .add("GET", "/privacy", privacy_page)
      .add("GET", "/checkin", checkin_page)
      .add("GET", "/checkin/pair/{code}", pair_page);
  return r;
}

}  // namespace einlass::server
