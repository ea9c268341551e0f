// The images an event's documents carry (the signature under its certificates, funders' logos)
// and the door's single badge, printed for the person just admitted.
#include "checkin/attendees.hpp"
#include "checkin/audit.hpp"
#include "checkin/devices.hpp"
#include "checkin/paperwork.hpp"
#include "checkin/pdf.hpp"
#include "checkin/store.hpp"
#include "server/api/api.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/badges_pdf.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace einlass::server {

using namespace checkin;
namespace json = boost::json;

// GET, PUT (the image as the body, Content-Type image/png or image/svg+xml) or DELETE
// …/images/{name}, name one of signature, funder-1, funder-2, funder-3.
awaitable<response> event_image_call(request& req, app& a, event_call& call) {
  auto& e = call.event;
  std::string name(req.param("name"));
  if (std::find(event_image_names.begin(), event_image_names.end(), name) == event_image_names.end())
    co_return error_response(call.lang, http_error::not_found);
  if (req.method == "GET") {
    std::optional<uploaded_image> image;
    {
      app::reader db(a);
      image = event_image(*db, e.id, name);
    }
    if (!image) co_return error_response(call.lang, http_error::not_found);
    co_return image_response(image->type, std::move(image->bytes), "no-store");
  }
  auto const up = upload_of(req);
  auto const& type = up.type;
  auto const& bytes = up.bytes;
  if (req.method != "DELETE" && bytes.empty()) co_return invalid(call.lang, "image", "required");
  outcome<bool> done = fail(errc::not_found);
  co_await a.write([&](database& db) {
    done = set_event_image(db, e.id, name, type, bytes);
    if (done && *done) audit(db, call.who, e.id, "event.image", {{"name", name}, {"bytes", bytes.size()}}, now());
  });
  if (!done) co_return error_response(call.lang, done.error());
  if (req.method == "DELETE" && !*done) co_return error_response(call.lang, http_error::not_found);
  app::reader db(a);
  json::array names;
  for (auto& n : event_image_list(*db, e.id)) names.emplace_back(n);
  co_return json_response(200, json::object{{"images", std::move(names)}});
}

// GET /api/v1/device/badges/{id}[?layout=label-62|a4-8|a4-10]: the badge of a confirmed person
// this device admitted (it prints it after admitting them), marked printed. Anyone else: 404, so a
// door cannot read names by walking ids.
awaitable<response> device_badge(request& req, app& a, device_call& call) {
  auto layout = find_badge_layout(req.query_value("layout").value_or("label-62"));
  if (!layout) co_return invalid(call.lang, "layout", "invalid_choice");
  std::optional<event> e;
  std::vector<attendee_row> rows;
  {
    app::reader db(a);
    e = find_event(*db, call.dev.event_id);
    attendee_filter f;
    f.status = reg_status::confirmed;
    f.ids = {number_of(req.param("id")).value_or(0)};
    if (e && admitted_by_device(*db, call.dev.id, f.ids.front())) rows = list_attendees(*db, e->id, f).rows;
  }
  if (!e || rows.empty() || rows.front().anonymised) co_return error_response(call.lang, http_error::not_found);
  response out;
  co_await a.blocking(app::pool::downloads, [&] {
    badge_document doc{
        *e,   *layout, call.lang == "de" ? "de" : "en",
        true, 1,       [&](std::int64_t offset, int) { return offset == 0 ? rows : std::vector<attendee_row>{}; }};
    out.body = pdf::to_string(layout->page, e->slug + " badge", [&](pdf::document& d) { badges_pdf(doc, d); });
  });
  co_await a.write([&](database& db) { mark_badges_printed(db, e->id, {rows.front().reg.id}, now()); });
  out.set("Content-Type", "application/pdf");
  out.set("Content-Disposition", attachment(e->slug + "-badge.pdf"));
  out.set("Cache-Control", "no-store");
  co_return out;
}

}  // namespace einlass::server
