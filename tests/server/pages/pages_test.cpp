// The participant's pages over real HTTP, without JavaScript: what a plain browser gets.
#include "server/app/requests.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>

using namespace einlass::test;
namespace json = boost::json;

namespace {

bool has(std::string const& body, std::string const& needle) { return body.find(needle) != std::string::npos; }

std::string form(std::vector<std::pair<std::string, std::string>> const& fields) {
  std::string out;
  for (auto const& [k, v] : fields)
    out += (out.empty() ? "" : "&") + einlass::server::url_encode(k) + "=" + einlass::server::url_encode(v);
  return out;
}

json::object forum() {
  return event_spec("forum", {{"description", "Drei Arbeitsgruppen.\n\nZum Abschluss: Buffet."},
                              {"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}, {"capacity", 20}},
                                                       json::object{{"title", "AG Ausbildung"}, {"capacity", 0}}}}});
}

}  // namespace

TEST(Pages, RegistrationPageInGermanByDefault) {
  test_server s;
  s.create_event(forum());
  auto r = s.client().get("/e/forum");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(has(r.body, "<html lang=\"de\" dir=\"ltr\">"));
  EXPECT_TRUE(has(r.body, "Netzwerktreffen Fachkräfte forum"));
  EXPECT_TRUE(has(r.body, "Noch 100 Plätze frei"));
  EXPECT_TRUE(has(r.body, "<label for=\"f-first_name\">Vorname"));
  EXPECT_TRUE(has(r.body, "Handwerkskammer zu Leipzig"));
  EXPECT_TRUE(has(r.body, "<p lang=\"de\" dir=\"ltr\">Zum Abschluss: Buffet.</p>"));
  EXPECT_TRUE(has(r.body, "AG Berufseinstieg"));
  EXPECT_TRUE(has(r.body, "value=\"job_centre\">Jobcenter / Agentur für Arbeit</option>"));
  // A full session cannot be chosen.
  auto full = r.body.find("AG Ausbildung");
  ASSERT_NE(full, std::string::npos);
  EXPECT_TRUE(has(r.body.substr(full - 200, 200), " disabled>"));
  EXPECT_FALSE(has(r.body, "<script>"));  // no inline script: the CSP forbids it
  EXPECT_TRUE(has(r.header("content-security-policy"), "script-src 'self'"));
  EXPECT_TRUE(has(r.header("content-security-policy"), "frame-ancestors 'none'"));
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
}

TEST(Pages, ArabicIsRightToLeftAndEnglishIsEnglish) {
  test_server s;
  s.create_event(forum());
  auto c = s.client();
  auto ar = c.get("/e/forum?lang=ar");
  EXPECT_TRUE(has(ar.body, "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(has(ar.body, "الاسم الأول"));
  EXPECT_TRUE(has(ar.header("set-cookie"), "lang=ar"));
  auto en = c.get("/e/forum", {{"Accept-Language", "en-GB,en;q=0.9"}});
  EXPECT_TRUE(has(en.body, "<html lang=\"en\" dir=\"ltr\">"));
  EXPECT_TRUE(has(en.body, "First name"));
}

TEST(Pages, PlainFormPostRegistersAndLeadsToTheTicket) {
  test_server s;
  auto e = s.create_event(forum());
  auto sid = std::to_string(e.at("sessions").as_array()[0].at("id").as_int64());
  auto c = s.client();
  auto r = c.post_form("/e/forum", form({{"lang", "de"},
                                         {"first_name", "Jürgen"},
                                         {"last_name", "Müller"},
                                         {"email", "juergen@example.org"},
                                         {"organisation", "ZAW Leipzig"},
                                         {"organisation_type", "education_provider"},
                                         {"sessions", sid},
                                         {"consent", "1"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  auto location = r.header("location");
  ASSERT_TRUE(location.starts_with("/t/"));
  auto ticket = c.get(location);
  ASSERT_EQ(ticket.status, 200);
  EXPECT_TRUE(has(ticket.body, "Sie sind angemeldet."));
  EXPECT_TRUE(has(ticket.body, "Jürgen Müller"));
  EXPECT_TRUE(has(ticket.body, "AG Berufseinstieg"));
  EXPECT_TRUE(has(ticket.body, "<img src=\"/api/v1/tickets/"));
  EXPECT_TRUE(has(ticket.body, ".png?download=1"));
  EXPECT_TRUE(has(ticket.body, "Handwerkskammer zu Leipzig"));
}

TEST(Pages, InvalidFormPostNamesTheFieldAndKeepsWhatWasTyped) {
  test_server s;
  s.create_event(forum());
  auto r = s.client().post_form("/e/forum", form({{"lang", "en"},
                                                  {"first_name", "Amina"},
                                                  {"last_name", "Haddad"},
                                                  {"email", "amina@"},
                                                  {"organisation", "Migrantenverein <Brücke>"}}));
  ASSERT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "<html lang=\"en\""));
  EXPECT_TRUE(has(r.body, "value=\"Amina\""));
  EXPECT_TRUE(has(r.body, "value=\"amina@\""));
  EXPECT_TRUE(has(r.body, "value=\"Migrantenverein &lt;Brücke&gt;\""));
  EXPECT_TRUE(has(r.body, "id=\"f-email\" name=\"email\""));
  EXPECT_TRUE(has(r.body, "aria-describedby=\"e-email\" aria-invalid=\"true\""));
  EXPECT_TRUE(has(r.body, "<p class=\"field-error\" id=\"e-email\">Please enter a valid e-mail address"));
  EXPECT_TRUE(has(r.body, "<a href=\"#f-consent\">Consent: We cannot register you without your consent.</a>"));
  EXPECT_TRUE(has(r.body, "<a href=\"#f-organisation_type\">Type of organisation: Please fill in this field.</a>"));
}

TEST(Pages, LanguageSwitchKeepsWhatWasTyped) {
  test_server s;
  s.create_event(forum());
  auto r = s.client().post_form(
      "/e/forum",
      form({{"lang", "de"}, {"first_name", "Amina"}, {"email", "amina@example.org"}, {"switch_lang", "ar"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body, "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(has(r.body, "value=\"Amina\""));
  EXPECT_TRUE(has(r.body, "value=\"amina@example.org\""));
  EXPECT_FALSE(has(r.body, "aria-invalid=\"true\""));  // switching is not submitting
}

TEST(Pages, FullEventTellsSo) {
  test_server s;
  s.create_event(event_spec("voll", {{"capacity", 1}}));
  auto c = s.client();
  ASSERT_EQ(c.post_json("/api/v1/events/voll/registrations", person("a@example.org")).status, 201);
  auto page = c.get("/e/voll");
  EXPECT_TRUE(has(page.body, "Die Veranstaltung ist ausgebucht."));
  EXPECT_FALSE(has(page.body, "<form id=\"registration\"")) << "no registration form, only 'send my ticket again'";
  auto post = c.post_form("/e/voll", form({{"lang", "de"}, {"first_name", "Zu"}, {"last_name", "Spät"}}));
  EXPECT_EQ(post.status, 409);
  EXPECT_TRUE(has(post.body, "Die Veranstaltung ist ausgebucht."));
}

TEST(Pages, DuplicateEmailByFormSaysSo) {
  test_server s;
  s.create_event(forum());
  auto c = s.client();
  ASSERT_EQ(c.post_json("/api/v1/events/forum/registrations", person("lena@example.org")).status, 201);
  auto r = c.post_form("/e/forum", form({{"lang", "de"},
                                         {"first_name", "Lena"},
                                         {"last_name", "Schmidt"},
                                         {"email", "lena@example.org"},
                                         {"organisation", "Jobcenter"},
                                         {"organisation_type", "job_centre"},
                                         {"consent", "1"}}));
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(has(r.body, "Mit dieser E-Mail-Adresse ist bereits jemand angemeldet."));
  EXPECT_TRUE(has(r.body, "value=\"Lena\""));
}

TEST(Pages, TicketPageForAWaitlistedPersonShowsNoValidQr) {
  test_server s;
  s.create_event(event_spec("warte", {{"capacity", 0}, {"waitlist", true}}));
  auto c = s.client();
  auto r = c.post_json("/api/v1/events/warte/registrations", person("w@example.org", {{"language", "en"}}));
  ASSERT_EQ(r.json().at("status"), "waitlisted");
  auto page = c.get("/t/" + std::string(r.json().at("ticket").at("code").as_string()));
  EXPECT_TRUE(has(page.body, "You are on the waiting list."));
  EXPECT_FALSE(has(page.body, "<img src=\"/api/v1/tickets/"));
}

TEST(Pages, UnknownTicketAndEventAre404PagesInTheLanguage) {
  test_server s;
  auto c = s.client();
  auto t = c.get("/t/NOPE?lang=en");
  EXPECT_EQ(t.status, 404);
  EXPECT_TRUE(has(t.body, "This ticket does not exist."));
  auto e = c.get("/e/gibt-es-nicht");
  EXPECT_EQ(e.status, 404);
  EXPECT_TRUE(has(e.body, "Diese Seite gibt es nicht."));
}

TEST(Pages, PrivacyNoticeHomeAndAssets) {
  test_server s;
  s.create_event(forum());
  auto c = s.client();
  auto p = c.get("/privacy?lang=ar");
  EXPECT_EQ(p.status, 200);
  EXPECT_TRUE(has(p.body, "إشعار حماية البيانات"));
  auto home = c.get("/");
  EXPECT_TRUE(has(home.body, "href=\"/e/forum\""));
  auto css = c.get("/assets/app.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  auto again = c.get("/assets/app.css", {{"If-None-Match", css.header("etag")}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(c.get("/assets/register.js").header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(c.get("/assets/../../etc/passwd").status, 404);
  EXPECT_EQ(c.get("/assets/nothing.js").status, 404);
}

TEST(Pages, FormPostWithInvalidUtf8IsRefusedAndStoresNothing) {
  test_server s;
  s.create_event(forum());
  auto c = s.client();
  auto r = c.post_form("/e/forum", "lang=de&first_name=%C3%28&last_name=x&email=a%40example.org&consent=1");
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(has(r.body, "Der Text enthält unzulässige Zeichen."));
  EXPECT_EQ(c.get("/api/v1/events/forum").json().at("seats_left").as_int64(), 100);
}

// Issue 14 (self-service): the ticket page offers the event for the calendar, the same entry as
// the ticket mail's attachment; a cancelled ticket has none. File names in headers are checked.
TEST(Pages, TheTicketPageOffersTheEventForTheCalendar) {
  test_server s;
  s.create_event(event_spec("kalender", {{"starts_at", "2030-03-05T14:00"}, {"ends_at", "2030-03-05T18:00"}}));
  auto c = s.client();
  auto r = c.post_json("/api/v1/events/kalender/registrations", person("k@example.org", {{"language", "ar"}}));
  std::string code(r.json().at("ticket").at("code").as_string());
  auto page = c.get("/t/" + code);
  EXPECT_TRUE(has(page.body, "href=\"/t/" + code + ".ics\"")) << "a link on the ticket page";
  auto ics = c.get("/t/" + code + ".ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.header("content-type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(ics.header("content-disposition"), "attachment; filename=\"kalender.ics\"");
  auto parsed = python(R"(
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(sys.argv[1])
ev = next(c for c in cal.walk() if c.name == 'VEVENT')
print(json.dumps({'uid': str(ev['UID']), 'start': ev['DTSTART'].dt.isoformat(), 'url': str(ev.get('URL', ''))}))
)",
                       {ics.body});
  EXPECT_EQ(std::string(parsed.at("uid").as_string()), "registration-" + code.substr(0, 26) + "@einlass")
      << "as in the ticket mail";
  EXPECT_EQ(parsed.at("start"), "2030-03-05T14:00:00+01:00");
  auto id = std::to_string(r.json().at("id").as_int64());
  ASSERT_EQ(c.post_json("/api/v1/events/kalender/attendees/" + id + "/cancel", json::object{}, s.auth()).status, 200);
  EXPECT_EQ(c.get("/t/" + code + ".ics").status, 404);
  EXPECT_EQ(c.get("/t/NOTACODE.ics").status, 404);
  EXPECT_EQ(einlass::server::attachment("a\"b\r\n/../x.ics"), "attachment; filename=\"a_b___.._x.ics\"");
  EXPECT_EQ(einlass::server::attachment(".hidden"), "attachment; filename=\"download.hidden\"");
}

// A lost ticket is missed most once registration has closed: the page still offers to send it.
TEST(Pages, AClosedEventStillOffersToSendTheTicketAgain) {
  test_server s;
  s.create_event(event_spec("zu", {{"registration_closes_at", "2020-01-01T00:00"}}));
  auto page = s.client().get("/e/zu");
  EXPECT_FALSE(has(page.body, "id=\"registration\"")) << "no registration form";
  EXPECT_TRUE(has(page.body, "id=\"resend-form\""));
  EXPECT_TRUE(has(page.body, "register.js"));
}

TEST(Pages, TheEventInTheReadersLanguageWhereWrittenEachTextMarkedWithItsOwn) {
  test_server s;
  s.create_event(event_spec(
      "finden", {{"title", json::object{{"de", "Finden und Binden"}, {"ar", "إيجاد الكفاءات والاحتفاظ بها"}}},
                 {"description", json::object{{"de", "Ein Treffen für Betriebe."}}},
                 {"sessions", json::array{json::object{
                                  {"title", json::object{{"de", "AG Anerkennung"}, {"ar", "مجموعة الاعتراف"}}}}}}}));
  auto ar = s.client().get("/e/finden?lang=ar");
  ASSERT_EQ(ar.status, 200);
  EXPECT_TRUE(has(ar.body, "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_TRUE(has(ar.body, "<h1 lang=\"ar\" dir=\"rtl\">إيجاد الكفاءات والاحتفاظ بها</h1>"));
  EXPECT_TRUE(has(ar.body, "<strong lang=\"ar\" dir=\"rtl\">مجموعة الاعتراف</strong>"));
  EXPECT_TRUE(has(ar.body, "<p lang=\"de\" dir=\"ltr\">Ein Treffen für Betriebe.</p>")) << "no Arabic written: German";
  auto en = s.client().get("/e/finden?lang=en");
  EXPECT_TRUE(has(en.body, "<html lang=\"en\" dir=\"ltr\">"));
  EXPECT_TRUE(has(en.body, "<h1 lang=\"de\" dir=\"ltr\">Finden und Binden</h1>"));
  EXPECT_TRUE(has(en.body, "<strong lang=\"de\" dir=\"ltr\">AG Anerkennung</strong>"));
  // The API answers strings in the asked language, organisers every language.
  auto api = s.client().get("/api/v1/events/finden?lang=ar").json();
  EXPECT_EQ(api.at("title"), "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(api.at("languages"), (json::array{"de", "ar"}));
  auto organiser = s.client().get("/api/v1/events/finden", s.auth()).json();
  EXPECT_EQ(organiser.at("title").at("ar"), "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(s.client().get("/api/v1/events/finden").json().at("title"), "Finden und Binden");
  // The mail preview, for the editor, in each language.
  auto preview = s.client().get("/api/v1/events/finden/mail-preview?kind=ticket&lang=ar", s.auth()).json();
  EXPECT_TRUE(has(std::string(preview.at("subject").as_string()), "إيجاد الكفاءات والاحتفاظ بها"));
  EXPECT_TRUE(has(std::string(preview.at("html").as_string()), "<html lang=\"ar\" dir=\"rtl\">"));
  EXPECT_EQ(s.client().get("/api/v1/events/finden/mail-preview?kind=spam", s.auth()).status, 422);
}
