// Every contract call over real HTTP, with its error cases.
#include "checkin/ticket.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>

using namespace einlass::test;
namespace json = boost::json;

namespace {
std::string error_field(http_result const& r) { return std::string(r.json().at("error").at("field").as_string()); }
std::string error_message(http_result const& r) { return std::string(r.json().at("error").at("message").as_string()); }
}  // namespace

TEST(Api, HealthAndMetrics) {
  test_server s;
  auto c = s.client();
  auto h = c.get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json().at("status"), "ok");
  auto m = c.get("/metrics");
  EXPECT_EQ(m.status, 200);
  EXPECT_TRUE(m.header("content-type").starts_with("text/plain; version=0.0.4"));
  EXPECT_NE(m.body.find("einlass_http_requests_total{code=\"2xx\"} 1"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("einlass_database_up 1"), std::string::npos);
  EXPECT_NE(m.body.find("einlass_wal_restarts_total 0"), std::string::npos);
  EXPECT_NE(m.body.find("einlass_database_read_connections "), std::string::npos);
  for (auto gauge : {"einlass_sqlite_memory_bytes", "einlass_heap_bytes{state=\"in_use\"}"}) {
    auto value = metric(m.body, gauge);
    ASSERT_TRUE(value) << gauge;
    bool sqlite_gauge = std::string_view(gauge).starts_with("einlass_sqlite");
    if (!on_postgresql() || !sqlite_gauge) {
      EXPECT_GT(*value, 0) << gauge;
    }
  }
}

TEST(Api, CreatingAnEventNeedsAnOrganiserToken) {
  test_server s;
  auto c = s.client();
  auto r = c.post_json("/api/v1/events", event_spec("treffen"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(error_code(r), "unauthorized");
  r = c.post_json("/api/v1/events", event_spec("treffen"), {{"Authorization", "Bearer ein_wrong"}});
  EXPECT_EQ(r.status, 401);
}

TEST(Api, CreateEventAnswersWithIdsAndSessions) {
  test_server s;
  auto c = s.client();
  auto spec =
      event_spec("fachforum", {{"waitlist", true},
                               {"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}, {"capacity", 25}},
                                                        json::object{{"title", "AG Ausbildung"}, {"capacity", 25}}}}});
  auto r = c.post_json("/api/v1/events", spec, s.auth());
  ASSERT_EQ(r.status, 201) << r.body;
  auto e = r.json().as_object();
  EXPECT_GT(e.at("id").as_int64(), 0);
  EXPECT_EQ(e.at("slug"), "fachforum");
  ASSERT_EQ(e.at("sessions").as_array().size(), 2u);
  EXPECT_GT(e.at("sessions").as_array()[0].at("id").as_int64(), 0);
  EXPECT_EQ(r.header("location"), "/api/v1/events/fachforum");

  auto again = c.post_json("/api/v1/events", spec, s.auth());
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(error_code(again), "slug_taken");
  EXPECT_EQ(error_field(again), "slug");
}

TEST(Api, InvalidEventNamesTheFieldInTheRequestedLanguage) {
  test_server s;
  auto c = s.client();
  auto headers = s.auth();
  headers.emplace_back("Accept-Language", "en");
  auto r = c.post_json("/api/v1/events", event_spec("x", {{"starts_at", "next tuesday"}}), headers);
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "invalid_field");
  auto fields = r.json().at("error").at("fields").as_array();
  std::vector<std::string> names;
  for (auto const& f : fields) names.emplace_back(f.at("field").as_string());
  EXPECT_NE(std::find(names.begin(), names.end(), "slug"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "starts_at"), names.end());
  EXPECT_EQ(error_message(r), "Some details are not valid.");
}

TEST(Api, GetEventShowsSeatsLeftAndHidesDrafts) {
  test_server s;
  s.create_event(event_spec("offen", {{"capacity", 70}}));
  s.create_event(event_spec("entwurf", {{"status", "draft"}}));
  auto c = s.client();
  auto r = c.get("/api/v1/events/offen");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json().at("seats_left").as_int64(), 70);
  EXPECT_FALSE(r.json().as_object().contains("confirmed"));  // organisers only
  EXPECT_EQ(c.get("/api/v1/events/entwurf").status, 404);
  EXPECT_EQ(c.get("/api/v1/events/entwurf", s.auth()).status, 200);
  EXPECT_EQ(c.get("/api/v1/events/gibt-es-nicht").status, 404);
  EXPECT_EQ(error_code(c.get("/api/v1/events/gibt-es-nicht")), "not_found");
}

TEST(Api, RegistrationIssuesATicketWhoseQrDecodesToTheCode) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  auto r = c.post_json("/api/v1/events/treffen/registrations", person("lena@example.org"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = r.json().as_object();
  EXPECT_EQ(o.at("status"), "confirmed");
  std::string code(o.at("ticket").at("code").as_string());
  EXPECT_TRUE(einlass::checkin::is_ticket_code_shape(code));
  EXPECT_EQ(o.at("ticket").at("url").as_string(), "http://127.0.0.1:" + std::to_string(s.port()) + "/t/" + code);

  auto png = c.get("/api/v1/tickets/" + code + ".png");
  ASSERT_EQ(png.status, 200);
  EXPECT_EQ(png.header("content-type"), "image/png");
  temp_dir dir;
  write_file(dir.file("t.png"), png.body);
  EXPECT_EQ(zbar_decode(dir.file("t.png")), code);
  EXPECT_EQ(zxing_decode(dir.file("t.png")), code);

  auto svg = c.get("/api/v1/tickets/" + code + ".svg");
  ASSERT_EQ(svg.status, 200);
  EXPECT_EQ(svg.header("content-type"), "image/svg+xml");
  EXPECT_TRUE(svg.body.starts_with("<svg"));

  EXPECT_EQ(c.get("/api/v1/tickets/" + std::string(140, 'A') + ".png").status, 404);
  EXPECT_EQ(c.get("/api/v1/tickets/" + code + ".gif").status, 404);
  EXPECT_EQ(c.get("/api/v1/events/treffen").json().at("seats_left").as_int64(), 99);
}

TEST(Api, RegistrationErrorsSpeakTheParticipantsLanguage) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  auto bad = person("kaputt", {{"language", "ar"}});
  auto r = c.post_json("/api/v1/events/treffen/registrations", bad);
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(error_field(r), "email");
  EXPECT_EQ(r.json().at("error").at("fields").as_array()[0].at("message"),
            "يرجى إدخال بريد إلكتروني صحيح، مثل name@example.com.");
  bad["language"] = "de";
  r = c.post_json("/api/v1/events/treffen/registrations", bad);
  EXPECT_EQ(r.json().at("error").at("fields").as_array()[0].at("message"),
            "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de.");
}

TEST(Api, ConflictsAreTheirOwnCodes) {
  test_server s;
  s.create_event(event_spec("klein", {{"capacity", 1}}));
  s.create_event(event_spec("warte", {{"capacity", 1}, {"waitlist", true}}));
  s.create_event(event_spec("spaeter", {{"registration_opens_at", "2099-01-01T10:00"}}));
  s.create_event(event_spec("vorbei", {{"registration_closes_at", "2001-01-01T10:00"}}));
  auto c = s.client();
  EXPECT_EQ(c.post_json("/api/v1/events/klein/registrations", person("a@example.org")).status, 201);
  auto dup = c.post_json("/api/v1/events/klein/registrations", person("A@example.org"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(error_code(dup), "already_registered");
  auto full = c.post_json("/api/v1/events/klein/registrations", person("b@example.org"));
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(error_code(full), "event_full");
  EXPECT_EQ(error_message(full), "Die Veranstaltung ist leider ausgebucht.");

  EXPECT_EQ(c.post_json("/api/v1/events/warte/registrations", person("a@example.org")).json().at("status"),
            "confirmed");
  auto w = c.post_json("/api/v1/events/warte/registrations", person("b@example.org"));
  EXPECT_EQ(w.status, 201);
  EXPECT_EQ(w.json().at("status"), "waitlisted");

  EXPECT_EQ(error_code(c.post_json("/api/v1/events/spaeter/registrations", person("a@example.org"))),
            "registration_not_open");
  EXPECT_EQ(error_code(c.post_json("/api/v1/events/vorbei/registrations", person("a@example.org"))),
            "registration_closed");
  EXPECT_EQ(c.post_json("/api/v1/events/gibt-es-nicht/registrations", person("a@example.org")).status, 404);
}

TEST(Api, FullSessionIsNamedInTheMessage) {
  test_server s;
  auto e = s.create_event(
      event_spec("forum", {{"sessions", json::array{json::object{{"title", "AG Sprache"}, {"capacity", 1}}}}}));
  auto sid = e.at("sessions").as_array()[0].at("id").as_int64();
  auto c = s.client();
  EXPECT_EQ(c.post_json("/api/v1/events/forum/registrations", person("a@example.org", {{"sessions", json::array{sid}}}))
                .status,
            201);
  auto r = c.post_json("/api/v1/events/forum/registrations", person("b@example.org", {{"sessions", json::array{sid}}}));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "session_full");
  EXPECT_EQ(error_field(r), "sessions");
  EXPECT_EQ(error_message(r), "„AG Sprache“ ist leider voll. Bitte wählen Sie etwas anderes.");
  auto ev = c.get("/api/v1/events/forum").json();
  EXPECT_EQ(ev.at("sessions").as_array()[0].at("seats_left").as_int64(), 0);
}

TEST(Api, MalformedBodiesGetClearErrors) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  auto r = c.request("POST", "/api/v1/events/treffen/registrations",
                     "{\"first_name\": ", {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "malformed_json");
  r = c.request("POST", "/api/v1/events/treffen/registrations", "{\"first_name\": \"\xC3\x28\"}",
                {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_code(r), "invalid_utf8");
  r = c.request("POST", "/api/v1/events/treffen/registrations", "first_name=x", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  r = c.request("POST", "/api/v1/events/treffen/registrations", "[1,2]", {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 422);
  r = c.request("POST", "/api/v1/events/treffen/registrations", std::string(200, '[') + std::string(200, ']'),
                {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 400);
  r = c.request("DELETE", "/api/v1/events/treffen");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(error_code(r), "method_not_allowed");
  EXPECT_EQ(c.get("/nirgendwo").status, 404);
  // Nothing of it was stored.
  EXPECT_EQ(c.get("/api/v1/events/treffen").json().at("seats_left").as_int64(), 100);
}

TEST(Api, InjectionInNamesIsStoredVerbatimAndShownEscaped) {
  test_server s;
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  std::string evil = "<img src=x onerror=alert(1)>'; DROP TABLE registrations;--";
  auto r = c.post_json("/api/v1/events/treffen/registrations",
                       person("evil@example.org", {{"first_name", evil}, {"organisation", "\"><script>x()</script>"}}));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("first_name").as_string(), evil);
  std::string code(r.json().at("ticket").at("code").as_string());
  auto page = c.get("/t/" + code);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<img src=x"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>x()"), std::string::npos);
  EXPECT_NE(page.body.find("&lt;img src=x onerror=alert(1)&gt;&#39;; DROP TABLE registrations;--"), std::string::npos);
  EXPECT_EQ(c.post_json("/api/v1/events/treffen/registrations", person("next@example.org")).status, 201);
}

TEST(Api, RateLimitAnswers429WithRetryAfter) {
  test_server s([](auto& cfg) { cfg.rate_limit = 3; });
  s.create_event(event_spec("treffen"));
  auto c = s.client();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(
        c.post_json("/api/v1/events/treffen/registrations", person("p" + std::to_string(i) + "@example.org")).status,
        201);
  auto r = c.post_json("/api/v1/events/treffen/registrations", person("p9@example.org", {{"language", "en"}}));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(error_code(r), "rate_limited");
  int retry = std::stoi(r.header("retry-after"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(c.get("/api/v1/events/treffen").status, 200);  // reads are not limited
}
