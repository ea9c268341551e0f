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
      .add("GET", "/", home_page)
      .add("GET", "/e/{slug}", event_page)
      .add("POST", "/e/{slug}", event_form_post)
      .add("GET", "/t/{code}", ticket_page)
      .add("GET", "/privacy", privacy_page);
  return r;
}

}  // namespace einlass::server
