// The authorisation matrix: every route of the router, tried with no credentials, a door
// device's token, an organiser of another event, a signed-in browser without its CSRF
// token, and the right organiser. A route added without a row here fails the test.
#include "server/app/router.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>
#include <map>

using namespace einlass::test;
namespace json = boost::json;

namespace {

enum class who_may {
  anyone,           // public pages and calls
  device,           // door-device calls
  organiser,        // any organiser (their own account, their own events)
  admin,            // admins only
  event_organiser,  // organisers of the event in {slug}
  member,           // members of the organisation in {org} (and admins)
  workspace_page,   // the workspace: strangers are sent to the login form
};

// Method and pattern -> who may call it. Keep in step with server/routes.cpp.
std::map<std::pair<std::string, std::string>, who_may> const matrix{
    {{"GET", "/healthz"}, who_may::anyone},
    {{"GET", "/metrics"}, who_may::anyone},  // loopback here; others need its token (security_test)
    {{"GET", "/ca.crt"}, who_may::anyone},
    {{"GET", "/assets/{*path}"}, who_may::anyone},
    {{"POST", "/api/v1/events"}, who_may::organiser},
    {{"GET", "/api/v1/events"}, who_may::organiser},
    {{"GET", "/api/v1/events/{slug}"}, who_may::anyone},
    {{"PATCH", "/api/v1/events/{slug}"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/duplicate"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/organisers"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/organisers"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/stats"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/conflicts"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/stats.csv"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/stats.xlsx"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/arrivals.svg"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/audit"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/mails"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/mail-preview"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendance.pdf"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/badges.pdf"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/certificates.pdf"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/report.pdf"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/images/{name}"}, who_may::event_organiser},
    {{"PUT", "/api/v1/events/{slug}/images/{name}"}, who_may::event_organiser},
    {{"DELETE", "/api/v1/events/{slug}/images/{name}"}, who_may::event_organiser},
    {{"POST", "/api/v1/organisations"}, who_may::admin},
    {{"GET", "/api/v1/organisations"}, who_may::organiser},
    {{"GET", "/api/v1/organisations/{org}"}, who_may::member},
    {{"PATCH", "/api/v1/organisations/{org}"}, who_may::member},
    {{"PUT", "/api/v1/organisations/{org}/logo"}, who_may::member},
    {{"DELETE", "/api/v1/organisations/{org}/logo"}, who_may::member},
    {{"POST", "/api/v1/organisations/{org}/members"}, who_may::admin},
    {{"GET", "/api/v1/organisations/{org}/webhooks"}, who_may::member},
    {{"DELETE", "/api/v1/organisations/{org}/members/{user_id}"}, who_may::admin},
    {{"GET", "/o/{org}"}, who_may::anyone},
    {{"GET", "/o/{org}/embed"}, who_may::anyone},
    {{"GET", "/o/{org}/events.ics"}, who_may::anyone},
    {{"GET", "/o/{org}/imprint"}, who_may::anyone},
    {{"GET", "/o/{org}/privacy"}, who_may::anyone},
    {{"GET", "/o/{org}/logo"}, who_may::anyone},
    {{"GET", "/api/v1/events/{slug}/webhooks"}, who_may::event_organiser},
    {{"POST", "/api/v1/webhooks"}, who_may::organiser},
    {{"DELETE", "/api/v1/webhooks/{id}"}, who_may::organiser},
    {{"POST", "/api/v1/webhooks/{id}/{action}"}, who_may::organiser},
    {{"POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/{action}"}, who_may::organiser},
    {{"POST", "/api/v1/events/{slug}/messages"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/messages"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendees"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/attendees"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/attendees/bulk"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendees.csv"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendees.xlsx"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendees.json"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/attendees/{id}"}, who_may::event_organiser},
    {{"PATCH", "/api/v1/events/{slug}/attendees/{id}"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/attendees/{id}/{action}"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/registrations"}, who_may::anyone},
    {{"GET", "/api/v1/tickets/{file}"}, who_may::anyone},
    {{"POST", "/api/v1/events/{slug}/tickets/resend"}, who_may::anyone},
    {{"POST", "/api/v1/events/{slug}/devices"}, who_may::event_organiser},
    {{"GET", "/api/v1/events/{slug}/devices"}, who_may::event_organiser},
    {{"DELETE", "/api/v1/events/{slug}/devices/{id}"}, who_may::event_organiser},
    {{"PATCH", "/api/v1/events/{slug}/devices/{id}"}, who_may::event_organiser},
    {{"POST", "/api/v1/events/{slug}/devices/{id}/pairing"}, who_may::event_organiser},
    {{"GET", "/api/v1/me"}, who_may::organiser},
    {{"GET", "/api/v1/me/sessions"}, who_may::organiser},
    {{"DELETE", "/api/v1/me/sessions/{id}"}, who_may::organiser},
    {{"POST", "/api/v1/tokens"}, who_may::organiser},
    {{"DELETE", "/api/v1/tokens/{id}"}, who_may::organiser},
    {{"POST", "/api/v1/invitations"}, who_may::organiser},
    {{"GET", "/api/v1/users"}, who_may::admin},
    {{"PATCH", "/api/v1/users/{id}"}, who_may::admin},
    {{"POST", "/api/v1/users/{id}/{action}"}, who_may::admin},
    {{"DELETE", "/api/v1/events/{slug}/organisers/{user_id}"}, who_may::event_organiser},
    {{"POST", "/api/v1/devices/pair"}, who_may::anyone},
    {{"GET", "/api/v1/device"}, who_may::device},
    {{"GET", "/api/v1/device/search"}, who_may::device},
    {{"GET", "/api/v1/device/offline"}, who_may::device},
    {{"POST", "/api/v1/device/walkins"}, who_may::device},
    {{"GET", "/api/v1/device/badges/{id}"}, who_may::device},
    {{"POST", "/api/v1/checkins"}, who_may::device},
    {{"POST", "/api/v1/checkins/{id}/undo"}, who_may::device},
    {{"GET", "/"}, who_may::anyone},
    {{"GET", "/e/{slug}"}, who_may::anyone},
    {{"POST", "/e/{slug}"}, who_may::anyone},
    {{"GET", "/t/{code}"}, who_may::anyone},
    {{"GET", "/t/{code}/certificate.pdf"}, who_may::anyone},
    {{"GET", "/v"}, who_may::anyone},
    {{"GET", "/v/{code}"}, who_may::anyone},
    {{"GET", "/f/{code}"}, who_may::anyone},
    {{"POST", "/f/{code}"}, who_may::anyone},
    {{"GET", "/privacy"}, who_may::anyone},
    {{"GET", "/m/{code}"}, who_may::anyone},  // signed links: the signature is the credential
    {{"POST", "/m/{code}"}, who_may::anyone},
    {{"GET", "/c/{code}"}, who_may::anyone},
    {{"POST", "/c/{code}"}, who_may::anyone},
    {{"GET", "/checkin"}, who_may::anyone},
    {{"GET", "/checkin.webmanifest"}, who_may::anyone},
    {{"GET", "/checkin-sw.js"}, who_may::anyone},
    {{"GET", "/checkin/pair/{code}"}, who_may::anyone},
    {{"GET", "/admin/forgot"}, who_may::anyone},
    {{"POST", "/admin/forgot"}, who_may::anyone},       // answers alike for every address; CSRF by double submit
    {{"GET", "/admin/reset/{code}"}, who_may::anyone},  // the one-time code is the credential
    {{"POST", "/admin/reset/{code}"}, who_may::anyone},
    {{"GET", "/admin/login"}, who_may::anyone},
    {{"POST", "/admin/login"}, who_may::anyone},
    {{"POST", "/admin/logout"}, who_may::anyone},
    {{"GET", "/admin/invite/{code}"}, who_may::anyone},
    {{"POST", "/admin/invite/{code}"}, who_may::anyone},
    {{"GET", "/admin"}, who_may::workspace_page},
    {{"GET", "/admin/{*path}"}, who_may::workspace_page},
};

using headers = std::vector<std::pair<std::string, std::string>>;

struct fixture {
  test_server s;
  std::string slug = "matrix";
  std::string device_token, other_token, admin_token, ticket;
  std::int64_t registration_id = 0, device_id = 0, token_id = 0;
  test_server::browser_login browser;

  fixture() {
    s.create_event(event_spec(slug));
    auto c = s.client();
    auto r = c.post_json("/api/v1/events/" + slug + "/registrations", person("a@example.org"));
    registration_id = r.json().at("id").as_int64();
    ticket = std::string(r.json().at("ticket").at("code").as_string());
    auto d = c.post_json("/api/v1/events/" + slug + "/devices", json::object{{"name", "Tür"}}, s.auth()).json();
    device_id = d.at("id").as_int64();
    device_token = std::string(d.at("token").as_string());
    other_token = s.add_user("other@example.org", "organiser");
    s.create_event_as(other_token, event_spec("other"));
    admin_token = s.add_user("admin@example.org", "admin");
    c.post_json("/api/v1/organisations", json::object{{"slug", "netz"}, {"name", "Netzwerk"}}, bearer(admin_token));
    c.post_json("/api/v1/organisations/netz/members", json::object{{"email", "organiser@example.org"}},
                bearer(admin_token));
    token_id = c.post_json("/api/v1/tokens", json::object{{"label", "x"}}, s.auth()).json().at("id").as_int64();
    browser = s.login();
  }

  // The pattern with every {name} filled so that the right caller reaches the handler.
  std::string path(std::string const& pattern) const {
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
      if (pattern[i] != '{') {
        out += pattern[i++];
        continue;
      }
      auto end = pattern.find('}', i);
      auto name = pattern.substr(i + 1, end - i - 1);
      i = end + 1;
      if (name == "slug") out += slug;
      else if (name == "org") out += "netz";
      else if (name == "name") out += "funder-1";
      else if (name == "id") {
        bool device = pattern.find("/devices/") != std::string::npos,
             token = pattern.find("/tokens/") != std::string::npos;
        out += std::to_string(device ? device_id : token ? token_id : registration_id);
      } else if (name == "action") out += "confirm";  // harmless: the person is confirmed already
      else if (name == "file") out += ticket + ".svg";
      else if (name == "user_id") out += "999";
      else if (name == "delivery") out += "1";
      else if (name == "code") out += "ABCDEFGHIJKLMNOP";
      else if (name == "*path") out += pattern.starts_with("/assets") ? "app.css" : "events";
    }
    return out;
  }

  http_result call(std::string const& method, std::string const& pattern, headers h) {
    auto c = s.client();
    std::string body;
    if (method != "GET" && method != "DELETE") {
      body = "{}";
      h.emplace_back("Content-Type", "application/json");
    }
    return c.request(method, path(pattern), body, h);
  }
};

}  // namespace

TEST(Authorisation, EveryRouteIsInTheMatrix) {
  auto routes = einlass::server::make_router().list();
  EXPECT_GE(routes.size(), matrix.size());
  for (auto const& r : routes)
    EXPECT_TRUE(matrix.count(r)) << r.first << " " << r.second << " is not in the authorisation matrix";
  for (auto const& [r, kind] : matrix) {
    bool routed = std::find(routes.begin(), routes.end(), r) != routes.end();
    EXPECT_TRUE(routed) << r.first << " " << r.second << " is in the matrix but not routed";
  }
}

TEST(Authorisation, EachRouteAnswersEachCallerAsTheMatrixSays) {
  fixture f;
  // Calls that change what later calls need (revoking the device or the token, a new pairing
  // that ends the device's tokens) go last.
  auto routes = einlass::server::make_router().list();
  std::stable_partition(routes.begin(), routes.end(),
                        [](auto const& r) { return r.first != "DELETE" && !r.second.ends_with("/pairing"); });
  for (auto const& [method, pattern] : routes) {
    auto it = matrix.find({method, pattern});
    if (it == matrix.end()) continue;  // reported by the test above
    auto kind = it->second;
    SCOPED_TRACE(method + " " + pattern);
    auto none = f.call(method, pattern, {});
    auto device = f.call(method, pattern, bearer(f.device_token));
    auto other = f.call(method, pattern, bearer(f.other_token));
    auto no_csrf = f.call(method, pattern, f.browser.headers(false));
    auto allowed = [](int status) { return status != 401 && status != 403 && status < 500; };
    switch (kind) {
      case who_may::anyone:  // may still refuse a request for what it is (a form without its cookie: 403)
        EXPECT_TRUE(none.status != 401 && none.status < 500) << none.status << " " << none.body;
        break;
      case who_may::workspace_page:
        EXPECT_EQ(none.status, 303);
        EXPECT_TRUE(none.header("location").starts_with("/admin/login"));
        EXPECT_EQ(f.call(method, pattern, f.browser.headers(false)).status, 200);
        break;
      case who_may::device:
        EXPECT_EQ(none.status, 401);
        EXPECT_EQ(other.status, 403);
        EXPECT_EQ(no_csrf.status, 401) << "a browser login is no device";
        EXPECT_TRUE(allowed(device.status)) << device.status << " " << device.body;
        break;
      case who_may::organiser:
      case who_may::admin:
      case who_may::member:
      case who_may::event_organiser: {
        EXPECT_EQ(none.status, 401) << none.body;
        EXPECT_EQ(device.status, 403) << device.body;
        if (kind == who_may::event_organiser || kind == who_may::member) {
          EXPECT_EQ(other.status, 403) << other.body;
        }
        if (kind == who_may::admin) {
          EXPECT_EQ(f.call(method, pattern, bearer(f.s.token())).status, 403);
        }
        if (method != "GET") {
          EXPECT_EQ(no_csrf.status, 403) << "a cookie without the CSRF token";
        } else if (kind != who_may::admin) {
          EXPECT_TRUE(allowed(no_csrf.status)) << no_csrf.status;
        }
        auto right_token = kind == who_may::admin ? f.admin_token : f.s.token();
        auto right = f.call(method, pattern, bearer(right_token));
        EXPECT_TRUE(allowed(right.status)) << right.status << " " << right.body;
        if (kind != who_may::admin) {
          auto cookie = f.call(method, pattern, f.browser.headers(true));
          EXPECT_TRUE(allowed(cookie.status) || (method == "DELETE" && cookie.status == 404))
              << cookie.status << " " << cookie.body;
        }
        break;
      }
    }
  }
}
