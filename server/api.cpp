#include "checkin/audit.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/auth.hpp"
#include "server/errors.hpp"
#include "server/handlers.hpp"

#include <boost/json.hpp>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

std::variant<json::value, response> read_json(request const& req, std::string_view lang) {
  auto type = req.header("content-type");
  if (!type.empty() && !type.starts_with("application/json"))
    return error_response(lang, 415, "unsupported_media_type");
  if (!is_valid_utf8(req.body)) return error_response(lang, 400, "invalid_utf8");
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  auto v = json::parse(req.body, ec, {}, opts);
  if (ec) return error_response(lang, 400, "malformed_json");
  return v;
}

std::optional<event> visible_event(app& a, request const& req, std::string_view slug) {
  app::reader db(a);
  auto e = find_event(*db, slug);
  if (!e || e->status == "published") return e;
  if (auto u = a.organiser(req); u && can_manage(*db, *u, *e)) return e;
  return std::nullopt;
}

std::optional<int> over_rate_limit(app& a, request const& req, budget b) {
  static constexpr std::string_view prefix[] = {"r ", "s ", "p "};
  return a.limiter().hit(std::string(prefix[static_cast<int>(b)]) + req.remote);
}

response rate_limited(std::string_view lang, int retry_after) {
  auto seconds = std::to_string(retry_after);
  auto r = error_response(lang, 429, "rate_limited", {{"seconds", seconds}});
  r.set("Retry-After", seconds);
  return r;
}

awaitable<outcome<registration>> register_person(app& a, event const& e, registration_input in) {
  if (auto errors = validate(in, e); !errors.empty()) {
    a.stats().registration("rejected");
    co_return failure{errc::invalid_field, std::move(errors), {}};
  }
  outcome<registration> result = fail(errc::not_found);
  co_await a.write([&](database& db) { result = register_participant(db, e, in, now()); });
  a.stats().registration(result ? result->status : "rejected");
  co_return result;
}

awaitable<response> create_event(request& req, app& a, organiser_call& call) {
  auto& lang = call.lang;
  auto& user = call.who;
  auto body = read_json(req, lang);
  if (auto* r = std::get_if<response>(&body)) co_return std::move(*r);
  auto parsed = event_from_json(std::get<json::value>(body));
  if (!parsed) co_return error_response(lang, parsed.error());
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
  if (!e) co_return error_response(lang, 404, "not_found");
  bool full = false;
  if (auto u = a.organiser(req)) {
    app::reader db(a);
    full = can_manage(*db, *u, *e);
  }
  co_return json_response(200, event_to_json(*e, full));
}

awaitable<response> create_registration(request& req, app& a) {
  auto lang = pick_language(req);
  if (auto wait = over_rate_limit(a, req, budget::registration)) co_return rate_limited(lang, *wait);
  auto body = read_json(req, lang);
  if (auto* r = std::get_if<response>(&body)) co_return std::move(*r);
  auto const& v = std::get<json::value>(body);
  // The participant's language decides the error texts when the body names one.
  if (auto const* o = v.if_object())
    if (auto const* l = o->if_contains("language"); l && l->is_string() && is_supported_language(l->get_string()))
      lang = l->get_string();
  auto e = visible_event(a, req, req.param("slug"));
  if (!e || e->status != "published") co_return error_response(lang, 404, "not_found");
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

awaitable<response> ticket_image(request& req, app& a) {
  auto lang = pick_language(req);
  std::string file(req.param("file"));
  auto dot = file.rfind('.');
  std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
  std::string code = file.substr(0, dot);
  if ((ext != "svg" && ext != "png") || !is_ticket_code_shape(code)) co_return error_response(lang, 404, "not_found");
  {
    app::reader db(a);
    if (!find_registration(*db, code)) co_return error_response(lang, 404, "not_found");
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
  if (req.query_value("download"))
    r.set("Content-Disposition", "attachment; filename=\"ticket." + ext + "\"");
  co_return r;
}

}  // namespace einlass::server
