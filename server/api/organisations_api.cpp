// Organisations: made by an admin, completed by their members (details for the imprint,
// texts per language, the logo), and given organisers.
#include "checkin/audit.hpp"
#include "checkin/organisations.hpp"
#include "checkin/users.hpp"
#include "server/api/api.hpp"
#include "server/api/input.hpp"
#include "server/app/auth.hpp"
#include "server/app/errors.hpp"

#include <boost/json.hpp>

namespace einlass::server {

namespace json = boost::json;
using namespace checkin;

namespace {

json::object with_members(app& a, organisation const& o) {
  auto out = organisation_to_json(o, true);
  json::array members;
  app::reader db(a);
  for (auto const& m : organisation_members(*db, o.id))
    members.push_back(json::object{{"id", m.id}, {"email", m.email}});
  out["members"] = std::move(members);
  return out;
}

}  // namespace

awaitable<response> create_organisation(request& req, app& a, organiser_call& call) {
  if (!call.who.is_admin()) co_return error_response(call.lang, http_error::forbidden);
  auto body = read_object(req, call.lang);
  if (!body) co_return std::move(body).error();
  auto parsed = organisation_from_json(*body);
  if (!parsed) co_return error_response(call.lang, parsed.error());
  outcome<organisation> made = fail(errc::not_found);
  co_await a.write([&](database& db) {
    made = checkin::create_organisation(db, std::move(*parsed), now());
    if (made) audit(db, call.who, std::nullopt, "organisation.create", {{"slug", made->slug}}, now());
  });
  if (!made) co_return error_response(call.lang, made.error());
  auto r = json_response(201, with_members(a, *made));
  r.set("Location", "/api/v1/organisations/" + made->slug);
  co_return r;
}

awaitable<response> list_organisations(request&, app& a, organiser_call& call) {
  json::array out;
  {
    app::reader db(a);
    for (auto const& o : checkin::list_organisations(*db, call.who.is_admin(), call.who.id))
      out.push_back(organisation_to_json(o, true));
  }
  co_return json_response(200, json::object{{"organisations", std::move(out)}});
}

awaitable<response> get_organisation(request&, app& a, organisation_call& call) {
  co_return json_response(200, with_members(a, call.org));
}

awaitable<response> patch_organisation(request& req, app& a, organisation_call& call) {
  auto body = read_object(req, call.lang);
  if (!body) co_return std::move(body).error();
  if (body->contains("slug") && text_in(*body, "slug") != call.org.slug)
    co_return invalid(call.lang, "slug", "fixed");  // printed links and stored consents name it
  auto parsed = organisation_from_json(*body, call.org);
  if (!parsed) co_return error_response(call.lang, parsed.error());
  organisation saved;
  co_await a.write([&](database& db) {
    saved = update_organisation(db, call.org, std::move(*parsed));
    audit(db, call.who, std::nullopt, "organisation.update",
          {{"slug", saved.slug}, {"privacy_version", saved.privacy_version}}, now());
  });
  co_return json_response(200, with_members(a, saved));
}

// PUT …/logo with the image as the body (Content-Type image/png or image/svg+xml); DELETE removes it.
awaitable<response> organisation_logo_call(request& req, app& a, organisation_call& call) {
  auto const up = upload_of(req);
  auto const& type = up.type;
  auto const& bytes = up.bytes;
  if (req.method != "DELETE" && bytes.empty()) co_return invalid(call.lang, "logo", "required");
  outcome<bool> done = fail(errc::not_found);
  co_await a.write([&](database& db) {
    done = set_logo(db, call.org.id, type, bytes);
    if (done)
      audit(db, call.who, std::nullopt, "organisation.logo", {{"slug", call.org.slug}, {"bytes", bytes.size()}}, now());
  });
  if (!done) co_return error_response(call.lang, done.error());
  app::reader db(a);
  co_return json_response(200, organisation_to_json(find_organisation(*db, call.org.id).value(), true));
}

// POST …/members {email} (admin): an organiser account joins; DELETE …/members/{user_id}.
awaitable<response> organisation_members_call(request& req, app& a, organisation_call& call) {
  if (!call.who.is_admin()) co_return error_response(call.lang, http_error::forbidden);
  std::optional<std::int64_t> user_id;
  if (req.method == "DELETE") user_id = number_of(req.param("user_id"));
  else {
    auto body = read_object(req, call.lang);
    if (!body) co_return std::move(body).error();
    app::reader db(a);
    if (auto u = find_user(*db, text_in(*body, "email"))) user_id = u->id;
    else co_return invalid(call.lang, "email", "unknown_user");
  }
  bool changed = false;
  if (user_id)
    co_await a.write([&](database& db) {
      changed =
          req.method == "DELETE" ? remove_member(db, call.org.id, *user_id) : add_member(db, call.org.id, *user_id);
      if (changed)
        audit(db, call.who, std::nullopt, req.method == "DELETE" ? "organisation.leave" : "organisation.join",
              {{"slug", call.org.slug}, {"user", *user_id}}, now());
    });
  if (req.method == "DELETE" && !changed) co_return error_response(call.lang, http_error::not_found);
  co_return json_response(200, with_members(a, call.org));
}

}  // namespace einlass::server
