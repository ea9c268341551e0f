#include "server/api/api.hpp"

#include "checkin/audit.hpp"
#include "checkin/mail.hpp"
#include "checkin/paperwork.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"
#include "server/app/requests.hpp"

#include <boost/json.hpp>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

awaitable<response> create_event(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& user = call.who;
  auto body = read_json(req, lang);
  if (!body) co_return std::move(body).error();
  auto parsed = event_from_json(*body);
  if (!parsed) co_return error_response(lang, parsed.error());
  if (auto refused = settle_organisation(a, user, *parsed, true, lang)) co_return std::move(*refused);
  outcome<event> created = fail(errc::not_found);
  co_await a.write([&](database& db) {
    created = checkin::create_event(db, std::move(*parsed), user.id, now());
    if (created) audit(db, user, created->id, "event.create", {{"slug", created->slug}}, now());
  });
  if (!created) co_return error_response(lang, created.error());
  auto r = json_response(201, event_to_json(*created, true));
  r.set("Location", "/api/v1/events/" + created->slug);
  co_return r;
}

awaitable<response> get_event(request& req, app& a) {
  auto lang = pick_language(req);
  auto e = visible_event(a, req, req.param("slug"));
  if (!e) co_return error_response(lang, http_error::not_found);
  bool full = false;
  json::array images;
  if (auto u = a.organiser(req)) {
    app::reader db(a);
    full = can_manage(*db, *u, *e);
    if (full)
      for (auto& name : event_image_list(*db, e->id)) images.emplace_back(name);
  }
  // ?lang=ar: every text a string in that language (or the event's); without, organisers get
  // each text in all its languages.
  auto o = event_to_json(*e, full, req.query_value("lang").value_or(""));
  if (full) o["images"] = std::move(images);  // which of the documents' images are uploaded
  co_return json_response(200, o);
}

awaitable<response> create_registration(request& req, app& a) {
  auto lang = pick_language(req);
  if (auto wait = over_rate_limit(a, req, budget::registration)) co_return rate_limited(lang, *wait);
  auto body = read_json(req, lang);
  if (!body) co_return std::move(body).error();
  auto const& v = *body;
  // The participant's language decides the error texts when the body names one.
  if (auto const* o = v.if_object())
    if (auto const* l = o->if_contains("language"); l && l->is_string() && is_supported_language(l->get_string()))
      lang = l->get_string();
  auto e = visible_event(a, req, req.param("slug"));
  if (!e || e->status != "published") co_return error_response(lang, http_error::not_found);
  auto in = registration_from_json(v);
  if (!in) co_return error_response(lang, in.error());
  auto result = co_await register_person(a, *e, std::move(*in));
  if (!result) co_return error_response(lang, result.error());
  auto o = registration_to_json(*result);
  o["event"] = e->slug;
  o["ticket"] = json::object{{"code", result->ticket_code}, {"url", a.link_base() + "/t/" + result->ticket_code}};
  auto r = json_response(201, o);
  r.set("Location", "/t/" + result->ticket_code);
  co_return r;
}

awaitable<response> resend_ticket(request& req, app& a) {
  auto lang = pick_language(req);
  if (auto wait = over_rate_limit(a, req, budget::registration)) co_return rate_limited(lang, *wait);
  auto body = read_json(req, lang);
  if (!body) co_return std::move(body).error();
  std::string email;
  if (auto const* o = body->if_object())
    if (auto const* v = o->if_contains("email"); v && v->is_string()) email = std::string(trim(v->get_string()));
  if (!is_plausible_email(email) || !is_valid_utf8(email))
    co_return error_response(lang, failure{errc::invalid_field, {{"email", "invalid_email"}}, {}});
  auto e = visible_event(a, req, req.param("slug"));
  if (!e) co_return error_response(lang, http_error::not_found);
  // The same answer, and the same work on the writer, whether the address is registered or not:
  // the reply tells no one who is.
  co_await a.write([&](database& db) { (void)resend_standing_mail(db, e->id, email, now()); });
  co_return json_response(202, json::object{{"message", a.texts().text(lang, "form.resend_sent")}});
}

awaitable<response> ticket_image(request& req, app& a) {
  auto lang = pick_language(req);
  std::string file(req.param("file"));
  auto dot = file.rfind('.');
  std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
  std::string code = file.substr(0, dot);
  if ((ext != "svg" && ext != "png") || !is_ticket_code_shape(code))
    co_return error_response(lang, http_error::not_found);
  {
    app::reader db(a);
    if (!find_registration(*db, code)) co_return error_response(lang, http_error::not_found);
  }
  auto q = make_qr(code);
  response r;
  if (ext == "svg") {
    r.body = qr_svg(q);
    r.set("Content-Type", "image/svg+xml");
  } else {
    r.body = qr_png(q, 8);
    r.set("Content-Type", "image/png");
  }
  r.set("Cache-Control", "private, max-age=86400");
  if (req.query_value("download")) r.set("Content-Disposition", attachment("ticket." + ext));
  co_return r;
}

}  // namespace einlass::server
