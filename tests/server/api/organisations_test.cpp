// Organisations (issue 14): an admin makes them, organisers belong to them and manage their
// events; every public page and mail names the organisation and links its imprint and privacy
// notice; consents store the notice's version; its events are listed, embeddable and a feed.
#include "checkin/db.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

using namespace einlass::test;
namespace json = boost::json;

namespace {

bool holds(std::string const& body, std::string const& needle) { return body.find(needle) != std::string::npos; }

json::object network() {
  return json::object{
      {"slug", "iq-sachsen-anhalt"},
      {"name", "IQ Netzwerk Sachsen-Anhalt"},
      {"details", json::object{{"legal_name", "Bildungswerk der Wirtschaft Sachsen-Anhalt e.V."},
                               {"address", "Lorenzweg 56\n39124 Magdeburg"},
                               {"representative", "Der Vorstand"},
                               {"email", "iq@example.org"},
                               {"authority", "Landesbeauftragter für den Datenschutz Sachsen-Anhalt"}}},
      {"texts", json::object{{"privacy", json::object{{"de", "Teilnahmelisten gehen an den Fördergeber."},
                                                      {"ar", "تُرسل قوائم المشاركين إلى الجهة الممولة."}}}}}};
}

// A consent as stored: the version of the notice the guest was shown.
std::string consent_of(test_server& s, std::string const& email) {
  einlass::checkin::database db(s.db_path(), einlass::checkin::database::mode::read_only);
  return db.query_one<std::string>("SELECT consent_version FROM registrations WHERE email = ?1", email).value_or("");
}

}  // namespace

TEST(Organisations, AnAdminMakesThemTheirOrganisersManageTheirEventsAndNoOthers) {
  test_server s;
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  EXPECT_EQ(c.post_json("/api/v1/organisations", network(), s.auth()).status, 403) << "organisers do not make them";
  auto made = c.post_json("/api/v1/organisations", network(), bearer(admin));
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.header("location"), "/api/v1/organisations/iq-sachsen-anhalt");
  EXPECT_EQ(c.post_json("/api/v1/organisations", network(), bearer(admin)).status, 409);
  auto bad = c.post_json("/api/v1/organisations",
                         json::object{{"slug", "x y"}, {"details", json::object{{"shoe", "1"}}}}, bearer(admin));
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(holds(bad.body, "details.shoe")) << bad.body;

  // Not yet a member: the organisation is not theirs to name.
  auto refused =
      c.post_json("/api/v1/events", event_spec("magdeburg", {{"organisation", "iq-sachsen-anhalt"}}), s.auth());
  EXPECT_EQ(refused.status, 422);
  EXPECT_TRUE(holds(refused.body, "unknown_organisation"));
  ASSERT_EQ(c.post_json("/api/v1/organisations/iq-sachsen-anhalt/members",
                        json::object{{"email", "organiser@example.org"}}, bearer(admin))
                .status,
            200);
  EXPECT_EQ(c.post_json("/api/v1/organisations/iq-sachsen-anhalt/members",
                        json::object{{"email", "nobody@example.org"}}, bearer(admin))
                .status,
            422);
  // Their only organisation is the default for a new event.
  auto e = s.create_event(event_spec("magdeburg"));
  EXPECT_EQ(e.at("organisation"), "iq-sachsen-anhalt");

  // A second member manages the organisation's events without being given each; a stranger does not.
  auto colleague = s.add_user("colleague@example.org", "organiser");
  auto stranger = s.add_user("stranger@example.org", "organiser");
  c.post_json("/api/v1/organisations/iq-sachsen-anhalt/members", json::object{{"email", "colleague@example.org"}},
              bearer(admin));
  EXPECT_EQ(c.get("/api/v1/events/magdeburg/attendees", bearer(colleague)).status, 200);
  EXPECT_EQ(c.get("/api/v1/events/magdeburg/attendees", bearer(stranger)).status, 403);
  auto listed = c.get("/api/v1/events", bearer(colleague)).json().at("events").as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(c.get("/api/v1/organisations", bearer(stranger)).json().at("organisations").as_array().size(), 0u);
  EXPECT_EQ(c.get("/api/v1/organisations/iq-sachsen-anhalt", bearer(stranger)).status, 403);
  auto mine = c.get("/api/v1/organisations/iq-sachsen-anhalt", bearer(colleague)).json();
  EXPECT_EQ(mine.at("members").as_array().size(), 2u);
  // Members complete the texts; the slug stays what links and consents name.
  auto patched =
      c.request("PATCH", "/api/v1/organisations/iq-sachsen-anhalt", json::serialize(json::object{{"slug", "other"}}),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + colleague}});
  EXPECT_EQ(patched.status, 422);
  auto removed = c.request("DELETE", "/api/v1/organisations/iq-sachsen-anhalt/members/999", {}, bearer(admin));
  EXPECT_EQ(removed.status, 404);
}

TEST(Organisations, EveryPublicPageAndMailNamesItConsentsStoreTheNoticesVersion) {
  temp_dir dir;
  test_server s([&](einlass::server::config& cfg) { cfg.mail_dir = dir.file("mails"); });
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  ASSERT_EQ(c.post_json("/api/v1/organisations", network(), bearer(admin)).status, 201);
  c.post_json("/api/v1/organisations/iq-sachsen-anhalt/members", json::object{{"email", "organiser@example.org"}},
              bearer(admin));
  s.create_event(event_spec("magdeburg"));
  auto r = c.post_json("/api/v1/events/magdeburg/registrations", person("anna@example.org"));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(consent_of(s, "anna@example.org"), "iq-sachsen-anhalt/1");

  auto code = std::string(r.json().at("ticket").at("code").as_string());
  for (auto const& path : std::vector<std::string>{"/e/magdeburg", "/t/" + code, "/o/iq-sachsen-anhalt",
                                                   "/o/iq-sachsen-anhalt/imprint", "/o/iq-sachsen-anhalt/privacy"}) {
    auto page = c.get(path + (path.find('?') == std::string::npos ? "?lang=de" : "&lang=de"));
    ASSERT_EQ(page.status, 200) << path;
    EXPECT_TRUE(holds(page.body, "Eine Veranstaltung von IQ Netzwerk Sachsen-Anhalt")) << path;
    EXPECT_TRUE(holds(page.body, "href=\"/o/iq-sachsen-anhalt/imprint?lang=de\">Impressum</a>")) << path;
    EXPECT_TRUE(holds(page.body, "href=\"/o/iq-sachsen-anhalt/privacy?lang=de\">Datenschutzhinweis</a>")) << path;
  }
  EXPECT_TRUE(holds(c.get("/e/magdeburg").body, "href=\"/o/iq-sachsen-anhalt/privacy?lang=de\" target=\"_blank\""))
      << "the consent box links the organisation's notice";
  auto imprint = c.get("/o/iq-sachsen-anhalt/imprint").body;
  EXPECT_TRUE(holds(imprint, "Bildungswerk der Wirtschaft Sachsen-Anhalt e.V."));
  EXPECT_TRUE(holds(imprint, "Lorenzweg 56<br>39124 Magdeburg"));
  EXPECT_TRUE(holds(imprint, "mailto:iq@example.org"));
  auto privacy_ar = c.get("/o/iq-sachsen-anhalt/privacy?lang=ar").body;
  EXPECT_TRUE(holds(privacy_ar, "الجهة المسؤولة"));
  EXPECT_TRUE(holds(privacy_ar, "lang=\"ar\" dir=\"rtl\"><p>تُرسل قوائم المشاركين إلى الجهة الممولة.</p>"));
  EXPECT_TRUE(holds(privacy_ar, "iq-sachsen-anhalt/1"));

  // A changed notice is a new version; the next consent names it, the earlier keeps its own.
  auto patch = c.request("PATCH", "/api/v1/organisations/iq-sachsen-anhalt",
                         json::serialize(json::object{{"details", json::object{{"dpo", "datenschutz@example.org"}}}}),
                         {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  ASSERT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(patch.json().at("privacy_version"), 2);
  ASSERT_EQ(c.post_json("/api/v1/events/magdeburg/registrations", person("ben@example.org")).status, 201);
  EXPECT_EQ(consent_of(s, "ben@example.org"), "iq-sachsen-anhalt/2");
  EXPECT_EQ(consent_of(s, "anna@example.org"), "iq-sachsen-anhalt/1");
  // Renaming a contact the notice does not show keeps the version.
  c.request("PATCH", "/api/v1/organisations/iq-sachsen-anhalt",
            json::serialize(json::object{{"details", json::object{{"website", "https://iq.example.org"}}}}),
            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  EXPECT_EQ(c.get("/api/v1/organisations/iq-sachsen-anhalt", s.auth()).json().at("privacy_version"), 2);

  // The ticket mail names the organisation and links both pages.
  wait_until(
      [&] {
        return holds(run_program("/bin/sh", {"-c", "cat " + dir.file("mails") + "/*.eml"}).out, "anna@");
      },
      std::chrono::seconds(20));
  auto text =
      run_program("/usr/bin/python3", {"-c",
                                       "import email, glob, sys\n"
                                       "from email import policy\n"
                                       "for f in glob.glob(sys.argv[1] + '/*.eml'):\n"
                                       "  m = email.message_from_bytes(open(f, 'rb').read(), policy=policy.default)\n"
                                       "  print(m.get_body(('plain',)).get_content())\n",
                                       dir.file("mails")});
  EXPECT_TRUE(holds(text.out, "Eine Veranstaltung von IQ Netzwerk Sachsen-Anhalt\nImpressum: http")) << text.out;
  EXPECT_TRUE(holds(text.out, "/o/iq-sachsen-anhalt/privacy?lang=de")) << text.out;
}

TEST(Organisations, TheLogoIsAPngOrSvgServedAsAnImageThatRunsNoScript) {
  test_server s;
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  ASSERT_EQ(c.post_json("/api/v1/organisations", network(), bearer(admin)).status, 201);
  auto put = [&](std::string const& type, std::string const& body) {
    return c.request("PUT", "/api/v1/organisations/iq-sachsen-anhalt/logo", body,
                     {{"Content-Type", type}, {"Authorization", "Bearer " + admin}});
  };
  EXPECT_EQ(put("text/html", "<html><script>alert(1)</script></html>").status, 422);
  EXPECT_EQ(put("image/png", "not a png").status, 422);
  EXPECT_EQ(put("image/png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(std::size_t{513} * 1024, 'x')).status,
            422);
  auto svg = std::string(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert(1)</script>"
      "<rect width=\"10\" height=\"10\"/></svg>");
  auto ok = put("image/svg+xml", svg);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("logo"), "/o/iq-sachsen-anhalt/logo");
  auto logo = c.get("/o/iq-sachsen-anhalt/logo");
  EXPECT_EQ(logo.status, 200);
  EXPECT_EQ(logo.body, svg);
  EXPECT_EQ(logo.header("content-type"), "image/svg+xml");
  EXPECT_EQ(logo.header("content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  EXPECT_EQ(logo.header("x-content-type-options"), "nosniff");
  // Shown as an image in the header of every page, never inlined.
  auto page = c.get("/o/iq-sachsen-anhalt").body;
  EXPECT_TRUE(holds(page, "<img src=\"/o/iq-sachsen-anhalt/logo\""));
  EXPECT_FALSE(holds(page, "<svg"));
  EXPECT_EQ(c.request("DELETE", "/api/v1/organisations/iq-sachsen-anhalt/logo", {}, bearer(admin)).status, 200);
  EXPECT_EQ(c.get("/o/iq-sachsen-anhalt/logo").status, 404);
}

TEST(Organisations, ASeriesInFourCitiesIsFourDatesOnItsPageInItsFeedAndOnOtherWebsites) {
  test_server s;
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  ASSERT_EQ(c.post_json("/api/v1/organisations", network(), bearer(admin)).status, 201);
  c.post_json("/api/v1/organisations/iq-sachsen-anhalt/members", json::object{{"email", "organiser@example.org"}},
              bearer(admin));
  int month = 3;
  for (std::string city : {"magdeburg", "dessau", "koethen", "stendal"}) {
    auto when = "2030-0" + std::to_string(month++) + "-10T";
    s.create_event(event_spec(
        "fub-" + city, {{"title", json::object{{"de", "Finden und Binden " + city}, {"ar", "إيجاد الكفاءات " + city}}},
                        {"starts_at", when + "10:00"},
                        {"ends_at", when + "14:00"},
                        {"capacity", 80}}));
  }
  s.create_event(event_spec("entwurf", {{"status", "draft"}}));
  auto page = c.get("/o/iq-sachsen-anhalt?lang=ar").body;
  for (std::string city : {"magdeburg", "dessau", "koethen", "stendal"})
    EXPECT_TRUE(holds(page, "href=\"/e/fub-" + city + "?lang=ar\" lang=\"ar\" dir=\"rtl\">إيجاد الكفاءات " + city))
        << city;
  EXPECT_FALSE(holds(page, "entwurf"));
  EXPECT_TRUE(holds(page, "80"));

  // The feed, as a calendar reads it: four events, one zone spanning the summer time change.
  auto feed = c.get("/o/iq-sachsen-anhalt/events.ics");
  ASSERT_EQ(feed.status, 200);
  EXPECT_EQ(feed.header("content-type"), "text/calendar; charset=utf-8");
  auto parsed =
      run_program("/usr/bin/python3",
                  {"-c",
                   "import sys, icalendar\n"
                   "cal = icalendar.Calendar.from_ical(sys.stdin.read())\n"
                   "print(str(cal['X-WR-CALNAME']))\n"
                   "for ev in cal.walk('VEVENT'): print(ev['SUMMARY'], ev['DTSTART'].dt.isoformat(), ev['URL'])\n"},
                  feed.body);
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_TRUE(holds(parsed.out, "IQ Netzwerk Sachsen-Anhalt\n"));
  EXPECT_TRUE(holds(parsed.out, "Finden und Binden magdeburg 2030-03-10T10:00:00+01:00"));
  EXPECT_TRUE(holds(parsed.out, "Finden und Binden stendal 2030-06-10T10:00:00+02:00"));
  EXPECT_TRUE(holds(parsed.out, "/e/fub-dessau"));

  // Embeddable: framable by any site, links open a new tab, the height is told to the page.
  auto embed = c.get("/o/iq-sachsen-anhalt/embed?lang=en");
  ASSERT_EQ(embed.status, 200);
  EXPECT_TRUE(holds(embed.header("content-security-policy"), "frame-ancestors *"));
  EXPECT_TRUE(holds(embed.body, "target=\"_blank\""));
  EXPECT_TRUE(holds(embed.body, "/assets/embed-frame.js"));
  EXPECT_EQ(c.get("/assets/embed.js").status, 200);
  EXPECT_TRUE(holds(c.get("/e/fub-dessau").header("content-security-policy"), "frame-ancestors 'none'"));
}
