// The organiser's side over real HTTP: signing in, CSRF, invitations, tokens, editing and
// duplicating events, attendees, downloads read back by independent readers (Python's csv
// module, openpyxl), the audit log.
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <filesystem>

#include "checkin/checkins.hpp"
#include "checkin/event.hpp"
#include "checkin/mail.hpp"
#include "server/app/i18n.hpp"

#include <fstream>
#include <regex>
#include <set>

using namespace einlass::test;
namespace json = boost::json;

namespace {

std::string set_cookie(http_result const& r, std::string const& name) {
  for (auto const& [k, v] : r.headers)
    if (k == "set-cookie" && v.starts_with(name + "=")) return v;
  return {};
}
std::string str(json::value const& v) { return std::string(v.as_string()); }

json::object forum(std::string const& slug, json::object extra = {}) {
  json::object o{
      {"capacity", 2},
      {"waitlist", true},
      {"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}, {"capacity", 10}},
                               json::object{{"title", "AG Anerkennung"}}}},
      {"questions", json::array{json::object{
                        {"label", "Essen"}, {"kind", "single"}, {"options", json::array{"vegetarisch", "vegan"}}}}}};
  for (auto const& [k, v] : extra) o[k] = v;
  return event_spec(slug, o);
}

http_result reg(http_client& c, std::string const& slug, json::object body) {
  return c.post_json("/api/v1/events/" + slug + "/registrations", body);
}

std::string save(temp_dir const& dir, std::string const& name, std::string const& bytes) {
  auto path = dir.file(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

constexpr char const* read_csv = R"(
import csv, io, json, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline=''), delimiter=sys.argv[2]))
print(json.dumps({'bom': raw.startswith(b'\xef\xbb\xbf'), 'rows': rows}))
)";

constexpr char const* read_xlsx = R"(
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows, types = [], []
    for row in ws.iter_rows():
        rows.append([c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value for c in row])
        types.append([c.data_type for c in row])
    out[ws.title] = {'rows': rows, 'types': types}
print(json.dumps(out))
)";

}  // namespace

TEST(Login, FormSetsAStrictHttpOnlyCookieAndLeadsToTheWorkspace) {
  test_server s;
  auto c = s.client();
  auto form = c.get("/admin/login?next=/admin/events/x");
  EXPECT_EQ(form.status, 200);
  auto pre = set_cookie(form, "einlass_login");
  ASSERT_FALSE(pre.empty());
  auto token = pre.substr(14, 32);
  auto post = [&](std::string const& password, std::string const& next) {
    return c.request("POST", "/admin/login",
                     "email=organiser%40example.org&password=" + password + "&csrf=" + token + "&next=" + next,
                     {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", pre.substr(0, pre.find(';'))}});
  };
  auto wrong = post("wrong", "/admin");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("value=\"organiser@example.org\""), std::string::npos) << "the address stays";
  EXPECT_TRUE(set_cookie(wrong, "einlass_session").empty());

  auto ok = post("correct+horse+battery", "/admin/events/x");
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/admin/events/x");
  auto cookie = set_cookie(ok, "einlass_session");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP here";

  // Only workspace paths are followed after signing in.
  EXPECT_EQ(post("correct+horse+battery", "%2F%2Fevil.example%2F").header("location"), "/admin");
  EXPECT_EQ(post("correct+horse+battery", "https%3A%2F%2Fevil.example%2F").header("location"), "/admin");
}

TEST(Login, AFormWithoutItsOwnCookieIsRefused) {
  test_server s;
  auto c = s.client();
  auto r = c.request("POST", "/admin/login", "email=organiser%40example.org&password=correct+horse+battery&csrf=x",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(set_cookie(r, "einlass_session").empty());
}

TEST(Login, AttemptsAreRateLimited) {
  test_server s([](einlass::server::config& cfg) { cfg.rate_limit = 3; });
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(s.login("organiser@example.org", "wrong").cookie.empty());
  auto c = s.client();
  auto form = c.get("/admin/login");
  auto pre = set_cookie(form, "einlass_login");
  auto r = c.request("POST", "/admin/login",
                     "email=organiser%40example.org&password=correct+horse+battery&csrf=" + pre.substr(14, 32),
                     {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", pre.substr(0, pre.find(';'))}});
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
}

TEST(Login, TheWorkspaceSendsStrangersToTheLoginForm) {
  test_server s;
  auto c = s.client();
  auto r = c.get("/admin/events/forum");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(r.header("location"), "/admin/login?next=%2Fadmin%2Fevents%2Fforum");
}

TEST(Csrf, ACookieNeedsTheTokenForEveryChangeAndABearerTokenDoesNot) {
  test_server s;
  s.create_event(forum("forum"));
  auto login = s.login();
  ASSERT_FALSE(login.cookie.empty());
  ASSERT_FALSE(login.csrf.empty());
  auto c = s.client();
  json::object change{{"title", "Neuer Titel"}};
  auto forged = c.request("PATCH", "/api/v1/events/forum", json::serialize(change),
                          {{"Content-Type", "application/json"}, {"Cookie", login.cookie}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(error_code(forged), "csrf_failed");
  auto other = login.csrf;
  other[0] = other[0] == 'A' ? 'B' : 'A';  // always differs from the real token
  auto wrong = c.request("PATCH", "/api/v1/events/forum", json::serialize(change),
                         {{"Content-Type", "application/json"}, {"Cookie", login.cookie}, {"X-CSRF-Token", other}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(c.get("/api/v1/events/forum").json().at("title"), "Netzwerktreffen Fachkräfte forum") << "nothing changed";

  auto h = login.headers();
  h.emplace_back("Content-Type", "application/json");
  auto ok = c.request("PATCH", "/api/v1/events/forum", json::serialize(change), h);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(c.get("/api/v1/events/forum", login.headers(false)).status, 200) << "reading needs no token";
  auto bearer = c.request("PATCH", "/api/v1/events/forum", R"({"venue":"IHK"})",
                          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  EXPECT_EQ(bearer.status, 200);
}

TEST(Csrf, SignOutNeedsTheTokenAndEndsTheSession) {
  test_server s;
  auto login = s.login();
  auto c = s.client();
  auto forged = c.request("POST", "/admin/logout", "",
                          {{"Cookie", login.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(c.get("/api/v1/me", login.headers(false)).status, 200);
  auto out = c.request("POST", "/admin/logout", "csrf=" + login.csrf,
                       {{"Cookie", login.cookie}, {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(c.get("/api/v1/me", login.headers(false)).status, 401);
}

TEST(Accounts, AnInvitationLetsANewOrganiserChooseAPasswordOnce) {
  test_server s;
  auto c = s.client();
  auto inv = c.post_json("/api/v1/invitations", json::object{{"email", "Neu@Example.org"}}, s.auth());
  ASSERT_EQ(inv.status, 201) << inv.body;
  auto url = str(inv.json().at("url"));
  auto path = url.substr(url.find("/admin/invite/"));
  EXPECT_EQ(c.get(path).status, 200);
  auto form = [&](std::string const& pw) {
    return c.request("POST", path, "password=" + pw, {{"Content-Type", "application/x-www-form-urlencoded"}});
  };
  EXPECT_EQ(form("kurz").status, 422);
  auto ok = form("ein+langes+Passwort");
  EXPECT_EQ(ok.status, 303);
  EXPECT_FALSE(set_cookie(ok, "einlass_session").empty());
  EXPECT_EQ(form("ein+anderes+Passwort").status, 404) << "used once";
  EXPECT_FALSE(s.login("neu@example.org", "ein langes Passwort").cookie.empty());

  auto admin =
      c.post_json("/api/v1/invitations", json::object{{"email", "chef@example.org"}, {"role", "admin"}}, s.auth());
  EXPECT_EQ(admin.status, 403) << "an organiser cannot make admins";
  EXPECT_EQ(c.get("/api/v1/users", s.auth()).status, 403);
  auto admin_token = s.add_user("admin@example.org", "admin");
  auto users = c.get("/api/v1/users", {{"Authorization", "Bearer " + admin_token}});
  ASSERT_EQ(users.status, 200);
  EXPECT_EQ(users.json().at("users").as_array().size(), 3u);
}

TEST(Accounts, ApiTokensAreMadeListedAndRevoked) {
  test_server s;
  auto c = s.client();
  auto made = c.post_json("/api/v1/tokens", json::object{{"label", "Monatsbericht"}}, s.auth());
  ASSERT_EQ(made.status, 201);
  auto token = str(made.json().at("token"));
  std::vector<std::pair<std::string, std::string>> with{{"Authorization", "Bearer " + token}};
  auto me = c.get("/api/v1/me", with);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json().at("tokens").as_array().size(), 2u);
  EXPECT_EQ(me.body.find(token), std::string::npos) << "a token is never shown again";
  auto id = made.json().at("id").as_int64();
  EXPECT_EQ(c.request("DELETE", "/api/v1/tokens/" + std::to_string(id), "", s.auth()).status, 200);
  EXPECT_EQ(c.get("/api/v1/me", with).status, 401);
}

TEST(Events, PatchingKeepsSessionsAndPromotesWhenSeatsAreAdded) {
  test_server s;
  auto e = s.create_event(forum("forum"));
  auto c = s.client();
  for (auto who : {"a", "b", "c", "d"})
    ASSERT_EQ(reg(c, "forum", person(std::string(who) + "@example.org")).status, 201);
  auto sessions = e.at("sessions").as_array();
  json::array keep{
      json::object{{"id", sessions[0].at("id")}, {"title", "AG Berufseinstieg (Raum 2)"}, {"capacity", 12}},
      sessions[1], json::object{{"title", "AG Neu"}}};
  auto r =
      c.request("PATCH", "/api/v1/events/forum", json::serialize(json::object{{"capacity", 3}, {"sessions", keep}}),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto after = r.json().as_object();
  EXPECT_EQ(after.at("sessions").as_array().size(), 3u);
  EXPECT_EQ(after.at("sessions").as_array()[0].at("id"), sessions[0].at("id"));
  EXPECT_EQ(after.at("confirmed"), 3) << "one moved up from the waiting list";
  EXPECT_EQ(after.at("waitlisted"), 1);
  EXPECT_EQ(after.at("questions").as_array()[0].at("key"), "q1");
}

TEST(Events, ASessionPeopleHoldCannotBeRemoved) {
  test_server s;
  auto e = s.create_event(forum("forum"));
  auto c = s.client();
  auto first = e.at("sessions").as_array()[0].at("id").as_int64();
  ASSERT_EQ(reg(c, "forum", person("a@example.org", {{"sessions", json::array{first}}})).status, 201);
  auto r = c.request("PATCH", "/api/v1/events/forum",
                     json::serialize(json::object{{"sessions", json::array{e.at("sessions").as_array()[1]}}}),
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "session_in_use");
  EXPECT_NE(str(r.json().at("error").at("message")).find("AG Berufseinstieg"), std::string::npos);
}

TEST(Events, DuplicatingMovesEveryTimeAndStartsAsADraft) {
  test_server s;
  auto spec = forum("leipzig");
  spec["sessions"].as_array()[0].as_object()["starts_at"] = str(spec.at("starts_at")).substr(0, 10) + "T11:00";
  spec["sessions"].as_array()[0].as_object()["ends_at"] = str(spec.at("starts_at")).substr(0, 10) + "T12:30";
  auto e = s.create_event(spec);
  auto c = s.client();
  ASSERT_EQ(reg(c, "leipzig", person("a@example.org")).status, 201);
  auto r = c.post_json(
      "/api/v1/events/leipzig/duplicate",
      json::object{{"slug", "halle"}, {"title", "Netzwerktreffen Halle"}, {"starts_at", "2031-03-04T09:00"}}, s.auth());
  ASSERT_EQ(r.status, 201) << r.body;
  auto copy = r.json().as_object();
  EXPECT_EQ(copy.at("status"), "draft");
  EXPECT_EQ(copy.at("confirmed"), 0);
  EXPECT_EQ(str(copy.at("starts_at")), "2031-03-04T09:00:00+01:00");
  EXPECT_EQ(str(copy.at("ends_at")), "2031-03-04T15:00:00+01:00");
  EXPECT_EQ(str(copy.at("sessions").as_array()[0].at("starts_at")), "2031-03-04T10:00:00+01:00");
  EXPECT_EQ(copy.at("questions").as_array().size(), 1u);
  EXPECT_EQ(c.get("/api/v1/events/halle").status, 404) << "a draft is not public";
  auto again = c.post_json("/api/v1/events/leipzig/duplicate", json::object{{"slug", "halle"}}, s.auth());
  EXPECT_EQ(again.status, 409);
}

TEST(Attendees, ListCancelRestoreAndEditOverHttp) {
  test_server s;
  s.create_event(forum("forum"));
  auto c = s.client();
  auto a = reg(c, "forum", person("a@example.org", {{"last_name", "Abel"}})).json();
  reg(c, "forum", person("b@example.org", {{"last_name", "Bauer"}}));
  auto w = reg(c, "forum", person("w@example.org", {{"last_name", "Weiß"}})).json();
  EXPECT_EQ(w.at("status"), "waitlisted");

  auto waiting = c.get("/api/v1/events/forum/attendees?status=waitlisted", s.auth());
  ASSERT_EQ(waiting.status, 200);
  EXPECT_EQ(waiting.json().at("total"), 1);
  EXPECT_EQ(c.get("/api/v1/events/forum/attendees?status=maybe", s.auth()).status, 422);

  auto id = std::to_string(a.at("id").as_int64());
  auto cancel = c.post_json("/api/v1/events/forum/attendees/" + id + "/cancel", json::object{}, s.auth());
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_EQ(cancel.json().at("promoted").as_array().size(), 1u);
  EXPECT_EQ(cancel.json().at("promoted").as_array()[0], w.at("id"));
  auto restore = c.post_json("/api/v1/events/forum/attendees/" + id + "/restore", json::object{}, s.auth());
  EXPECT_EQ(restore.json().at("status"), "waitlisted") << "the seat went to the next in line";

  auto edit =
      c.request("PATCH", "/api/v1/events/forum/attendees/" + id,
                json::serialize(json::object{{"organisation", "Agentur für Arbeit Halle"}, {"email", "kaputt"}}),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  EXPECT_EQ(edit.status, 422);
  EXPECT_EQ(str(edit.json().at("error").at("field")), "email");
  edit = c.request("PATCH", "/api/v1/events/forum/attendees/" + id,
                   json::serialize(json::object{{"organisation", "Agentur für Arbeit Halle"}}),
                   {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(edit.json().at("organisation"), "Agentur für Arbeit Halle");
  EXPECT_EQ(edit.json().at("last_name"), "Abel") << "what was not sent stays";

  auto gone = c.post_json("/api/v1/events/forum/attendees/99999/cancel", json::object{}, s.auth());
  EXPECT_EQ(gone.status, 404);
  auto log = c.get("/api/v1/events/forum/audit", s.auth()).json().at("entries").as_array();
  std::vector<std::string> actions;
  for (auto const& entry : log) actions.push_back(str(entry.at("action")));
  EXPECT_EQ(actions,
            (std::vector<std::string>{"attendee.update", "attendee.restore", "attendee.cancel", "event.create"}));
}

// A person taken by phone or at the desk: any time (the online window has closed), with the
// ticket mail or without an address at all, and past the capacity only when asked.
TEST(Attendees, TheDeskRegistersAPersonByPhoneAndOverbooksOnlyWhenAsked) {
  test_server s;
  s.create_event(forum("desk", {{"capacity", 1}, {"waitlist", false}}));
  auto c = s.client();
  auto add = [&](json::object body) { return c.post_json("/api/v1/events/desk/attendees", body, s.auth()); };
  auto phone = person("anruf@example.org", {{"first_name", "Samira"}, {"last_name", "Haddad"}, {"notify", true}});
  auto first = add(phone);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json().at("status"), "confirmed");
  EXPECT_EQ(first.json().at("ticket").at("code").as_string().size(), 140u);

  // Full: refused (no waiting list), then given on purpose; no address when the ticket is printed.
  auto second = person("", {{"first_name", "Jonas"}, {"last_name", "Keller"}});
  second.erase("email");
  auto full = add(second);
  EXPECT_EQ(full.status, 409) << full.body;
  EXPECT_EQ(error_code(full), "event_full");
  auto needs_mail = second;
  needs_mail["notify"] = true;
  needs_mail["over_capacity"] = true;
  EXPECT_EQ(add(needs_mail).status, 422) << "a ticket by mail needs an address";
  second["over_capacity"] = true;
  auto over = add(second);
  ASSERT_EQ(over.status, 201) << over.body;
  EXPECT_EQ(over.json().at("status"), "confirmed");
  auto wrong = person("x@example.org", {{"notify", "yes"}});
  EXPECT_EQ(add(wrong).status, 422);
  auto no_consent = person("y@example.org", {{"consent", false}, {"over_capacity", true}});
  EXPECT_EQ(add(no_consent).status, 422) << "staff record that the person agreed";

  auto stats = c.get("/api/v1/events/desk/stats", s.auth()).json();
  EXPECT_EQ(stats.at("confirmed"), 2);
  EXPECT_EQ(stats.at("capacity"), 1);
  EXPECT_EQ(stats.at("overbooked"), 1);

  // The ticket mail went to the person by phone only; the audit names both additions.
  auto people = c.get("/api/v1/events/desk/attendees", s.auth()).json().at("attendees").as_array();
  ASSERT_EQ(people.size(), 2u);
  for (auto const& p : people) {
    auto mails = p.at("mails").as_array().size();
    EXPECT_EQ(mails, p.at("last_name") == "Haddad" ? 1u : 0u) << p;
  }
  auto log = c.get("/api/v1/events/desk/audit", s.auth()).json().at("entries").as_array();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0].at("action"), "attendee.add");
  EXPECT_EQ(log[0].at("detail").at("over_capacity"), true);
  EXPECT_EQ(log[1].at("detail").at("notify"), true);

  // The online form has closed; the desk still registers.
  auto closed =
      c.request("PATCH", "/api/v1/events/desk",
                json::serialize(json::object{{"capacity", 10}, {"registration_closes_at", "2020-01-01T00:00"}}),
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + s.token()}});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(reg(c, "desk", person("online@example.org")).status, 409);
  EXPECT_EQ(add(person("late@example.org")).status, 201);
}

TEST(Attendees, APersonsDataIsDownloadedAndDeletedOnRequest) {
  test_server s;
  s.create_event(forum("forum"));
  auto c = s.client();
  auto a = reg(c, "forum", person("jana@example.org", {{"first_name", "Jana"}})).json();
  auto id = std::to_string(a.at("id").as_int64());
  auto data = c.get("/api/v1/events/forum/attendees/" + id + "?download=1", s.auth());
  ASSERT_EQ(data.status, 200);
  EXPECT_NE(data.header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(data.json().at("email"), "jana@example.org");
  auto del = c.post_json("/api/v1/events/forum/attendees/" + id + "/anonymise", json::object{}, s.auth());
  ASSERT_EQ(del.status, 200);
  EXPECT_EQ(del.json().at("first_name"), "");
  EXPECT_EQ(c.get("/t/" + str(a.at("ticket").at("code"))).status, 404);
  auto stats = c.get("/api/v1/events/forum/stats", s.auth()).json();
  EXPECT_EQ(stats.at("confirmed"), 1) << "the count stays";
}

TEST(Events, SharingGivesAnotherOrganiserTheEvent) {
  test_server s;
  s.create_event(forum("forum"));
  auto other = s.add_user("kollegin@example.org", "organiser");
  auto c = s.client();
  std::vector<std::pair<std::string, std::string>> as_other{{"Authorization", "Bearer " + other}};
  EXPECT_EQ(c.get("/api/v1/events/forum/stats", as_other).status, 403);
  EXPECT_EQ(
      c.post_json("/api/v1/events/forum/organisers", json::object{{"email", "niemand@example.org"}}, s.auth()).status,
      422);
  EXPECT_EQ(
      c.post_json("/api/v1/events/forum/organisers", json::object{{"email", "kollegin@example.org"}}, s.auth()).status,
      200);
  EXPECT_EQ(c.get("/api/v1/events/forum/stats", as_other).status, 200);
  EXPECT_EQ(c.get("/api/v1/events", as_other).json().at("events").as_array().size(), 1u);
}

// Downloads, read back by readers that share no code with ours.
class Downloads : public ::testing::Test {
 protected:
  test_server s;
  temp_dir dir;
  http_client c = s.client();
  std::string scanned_at;  // the check-in's time, ISO 8601 in the event's zone

  void SetUp() override {
    s.create_event(forum("bericht", {{"capacity", 10}}));
    auto first = reg(c, "bericht",
                     person("juergen@example.org", {{"first_name", "Jürgen"},
                                                    {"last_name", "Groß"},
                                                    {"organisation", "Müller & Söhne; Leipzig"},
                                                    {"organisation_type", "company"},
                                                    {"answers", json::object{{"q1", "vegan"}}}}));
    reg(c, "bericht",
        person("mohammed@example.org", {{"first_name", "محمد"},
                                        {"last_name", "العلي"},
                                        {"organisation", "جمعية الجالية العربية"},
                                        {"organisation_type", "migrant_organisation"}}));
    reg(c, "bericht",
        person("mallory@example.org", {{"first_name", "Mallory"},
                                       {"last_name", "+49 Test"},
                                       {"organisation", "=HYPERLINK(\"http://evil.example\",\"x\")"}}));
    auto dev = c.post_json("/api/v1/events/bericht/devices", json::object{{"name", "Foyer"}}, s.auth()).json();
    auto scan =
        c.post_json("/api/v1/checkins", json::object{{"code", first.json().at("ticket").at("code")}, {"nonce", "n1"}},
                    {{"Authorization", "Bearer " + str(dev.at("token"))}});
    scanned_at = str(scan.json().at("checked_in_at"));
  }

  std::string download(std::string const& file, std::string const& name) {
    auto r = c.get("/api/v1/events/bericht/" + file, s.auth());
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.header("content-disposition").find("bericht-"), std::string::npos);
    return save(dir, name, r.body);
  }
};

TEST_F(Downloads, CsvForGermanExcel) {
  auto out = python(read_csv, {download("attendees.csv", "a.csv"), ";"});
  EXPECT_TRUE(out.at("bom").as_bool());
  auto const& rows = out.at("rows").as_array();
  ASSERT_EQ(rows.size(), 4u);  // header and three people
  auto const& head = rows[0].as_array();
  EXPECT_EQ(head[2], "Vorname");
  EXPECT_EQ(head[11], "Essen");
  auto const& j = rows[1].as_array();
  EXPECT_EQ(j[2], "Jürgen");
  EXPECT_EQ(j[3], "Groß");
  EXPECT_EQ(j[5], "Müller & Söhne; Leipzig");
  EXPECT_EQ(j[6], "Unternehmen");
  EXPECT_EQ(j[11], "vegan");
  EXPECT_EQ(j[13], "ja");
  // The check-in time as the event's wall time, as the check-in answer gave it.
  EXPECT_EQ(str(j[14]), scanned_at.substr(0, 10) + " " + scanned_at.substr(11, 8));
  EXPECT_EQ(j[15], "Foyer");
  auto const& m = rows[2].as_array();
  EXPECT_EQ(m[2], "محمد");
  EXPECT_EQ(m[5], "جمعية الجالية العربية");
  auto const& x = rows[3].as_array();
  EXPECT_EQ(x[3], "'+49 Test") << "neutralised";
  EXPECT_EQ(x[5], "'=HYPERLINK(\"http://evil.example\",\"x\")");
}

TEST_F(Downloads, CsvWithCommasOnRequest) {
  auto r = c.get("/api/v1/events/bericht/attendees.csv?separator=comma", s.auth());
  auto out = python(read_csv, {save(dir, "c.csv", r.body), ","});
  auto const& rows = out.at("rows").as_array();
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[1].as_array()[5], "Müller & Söhne; Leipzig");
  // Saved beside the one with semicolons, not over it (issue 16).
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"bericht-attendees-comma.csv\"");
  EXPECT_EQ(c.get("/api/v1/events/bericht/attendees.csv", s.auth()).header("content-disposition"),
            "attachment; filename=\"bericht-attendees.csv\"");
  EXPECT_EQ(c.get("/api/v1/events/bericht/attendees.csv?separator=tab", s.auth()).status, 422);
}

TEST_F(Downloads, XlsxHasTypedSheetsForAttendeesCheckinsAndStatistics) {
  auto book = python(read_xlsx, {download("attendees.xlsx", "a.xlsx")}).as_object();
  ASSERT_TRUE(book.contains("Teilnehmende"));
  ASSERT_TRUE(book.contains("Check-ins"));
  ASSERT_TRUE(book.contains("Statistik"));
  auto const& people = book.at("Teilnehmende").at("rows").as_array();
  ASSERT_EQ(people.size(), 4u);
  auto const& types = book.at("Teilnehmende").at("types").as_array();
  EXPECT_EQ(types[1].as_array()[0], "n") << "the number is a number";
  EXPECT_EQ(types[1].as_array()[12], "d") << "the registration time is a date";
  EXPECT_EQ(people[1].as_array()[3], "Groß");
  EXPECT_EQ(people[2].as_array()[2], "محمد");
  EXPECT_EQ(people[3].as_array()[5], "=HYPERLINK(\"http://evil.example\",\"x\")");
  EXPECT_EQ(types[3].as_array()[5], "s") << "text, never a formula";
  EXPECT_EQ(str(people[1].as_array()[14]), scanned_at.substr(0, 19)) << "wall time in the event's zone";

  auto const& scans = book.at("Check-ins").at("rows").as_array();
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[1].as_array()[2], "Eingelassen");
  EXPECT_EQ(scans[1].as_array()[4], "Foyer");
  auto const& stats = book.at("Statistik").at("rows").as_array();
  bool found = false;
  for (auto const& row : stats)
    if (row.as_array()[0] == "Eingecheckt" && row.as_array()[1].is_number())
      found = row.as_array()[1].to_number<int>() == 1;
  EXPECT_TRUE(found);
}

TEST_F(Downloads, JsonHasEveryAnswerAndCheckin) {
  auto r = c.get("/api/v1/events/bericht/attendees.json", s.auth());
  ASSERT_EQ(r.status, 200);
  auto v = json::parse(r.body);
  auto const& people = v.at("attendees").as_array();
  ASSERT_EQ(people.size(), 3u);
  EXPECT_EQ(people[0].at("answers").at("q1"), "vegan");
  ASSERT_EQ(people[0].at("checkins").as_array().size(), 1u);
  EXPECT_EQ(people[0].at("checkins").as_array()[0].at("device"), "Foyer");
  EXPECT_EQ(str(people[0].at("checked_in_at")), scanned_at);
  EXPECT_TRUE(people[1].at("checkins").as_array().empty());
}

TEST_F(Downloads, StatisticsAsCsvAndXlsxAndEveryDownloadIsAudited) {
  auto csv = python(read_csv, {download("stats.csv", "s.csv"), ";"});
  bool found = false;
  for (auto const& row : csv.at("rows").as_array())
    if (!row.as_array().empty() && row.as_array()[0] == "Anmeldungen") found = row.as_array()[1] == "3";
  EXPECT_TRUE(found);
  auto book = python(read_xlsx, {download("stats.xlsx", "s.xlsx")}).as_object();
  EXPECT_TRUE(book.contains("Statistik"));
  auto log = c.get("/api/v1/events/bericht/audit", s.auth()).json().at("entries").as_array();
  int downloads = 0;
  for (auto const& e : log) downloads += e.at("action") == "event.download";
  EXPECT_EQ(downloads, 2);
}

TEST_F(Downloads, EnglishHeadersForAnEnglishSpeakingOrganiser) {
  auto r = c.get("/api/v1/events/bericht/attendees.csv?lang=en", s.auth());
  auto out = python(read_csv, {save(dir, "en.csv", r.body), ";"});
  EXPECT_EQ(out.at("rows").as_array()[0].as_array()[2], "First name");
}

// The workspace script names its texts by key: every one must be in both workspace catalogues,
// including the keys it builds from the values the API sends.
TEST(Workspace, EveryTextTheScriptUsesIsInTheCatalogue) {
  test_server s;
  // The workspace's entry script and every view module beside it, as the server serves them.
  std::vector<std::string> scripts{"/assets/admin.js"};
  for (auto const& f :
       std::filesystem::directory_iterator(std::filesystem::path(EINLASS_TESTS_DIR) / "../web/assets/admin"))
    scripts.push_back("/assets/admin/" + f.path().filename().string());
  ASSERT_GT(scripts.size(), 5u);
  std::set<std::string> keys;
  std::regex literal(R"('([a-z_]+\.[a-z_]+)')");
  for (auto const& path : scripts) {
    auto script = s.client().get(path);
    ASSERT_EQ(script.status, 200) << path;
    for (auto it = std::sregex_iterator(script.body.begin(), script.body.end(), literal); it != std::sregex_iterator();
         ++it) {
      std::string k = (*it)[1];
      if (k.ends_with(".csv") || k.ends_with(".xlsx") || k.ends_with(".json") || k.ends_with(".svg") ||
          k.ends_with(".js") || k.starts_with("fieldset.") || k.starts_with("registration.") ||
          k.starts_with("checkin."))  // selectors and webhook event names, not texts
        continue;
      keys.insert(k);
    }
  }
  EXPECT_GT(keys.size(), 150u);
  for (auto st : {"draft", "published", "cancelled"}) keys.insert("status." + std::string(st));
  for (auto st : {"confirmed", "waitlisted", "cancelled"}) keys.insert("reg." + std::string(st));
  for (auto k : einlass::checkin::question_kinds) keys.insert("kind." + std::string(k));
  for (auto m : {"off", "optional", "required"}) keys.insert("mode." + std::string(m));
  for (auto t : einlass::checkin::organisation_types) keys.insert("otype." + std::string(t));
  for (auto f : einlass::checkin::standard_fields) keys.insert("field." + std::string(f));
  for (auto a : {"cancel", "restore", "confirm", "anonymise", "resend"})
    keys.insert("attendees.done_" + std::string(a));
  for (auto k : einlass::checkin::mail_kinds) keys.insert("mailkind." + std::string(k));
  for (auto st : {"pending", "sent", "failed"}) keys.insert("mail." + std::string(st));
  for (auto a :
       {"event.create", "event.update", "event.duplicate", "event.share", "event.download", "event.purge",
        "attendee.update", "attendee.cancel", "attendee.restore", "attendee.confirm", "attendee.anonymise",
        "attendee.export", "attendee.resend", "device.create", "device.revoke", "device.rename", "device.pairing"})
    keys.insert("action." + std::string(a));
  // And every label the downloads use.
  for (auto r : einlass::checkin::scan_results) keys.insert("export.result." + std::string(r));
  for (auto t : einlass::checkin::organisation_types) keys.insert("export.organisation_type." + std::string(t));
  auto const& c = einlass::server::catalog::workspace();
  for (auto const& k : keys)
    for (auto lang : {"de", "en"}) EXPECT_TRUE(c.has(lang, k)) << lang << " " << k;
}

// Issue 16: a check-in corrected by hand, with a reason that the log and the exports keep and
// that goes with the person's data when it is deleted.
TEST_F(Downloads, ACheckInIsCorrectedByHandWithAReason) {
  auto people = c.get("/api/v1/events/bericht/attendees", s.auth()).json().at("attendees").as_array();
  std::string came, scanned;  // Mohammed came without his ticket; Jürgen was scanned by mistake
  for (auto const& p : people) {
    if (p.at("email") == "mohammed@example.org") came = std::to_string(p.at("id").as_int64());
    if (p.at("email") == "juergen@example.org") scanned = std::to_string(p.at("id").as_int64());
  }
  auto correct = [&](std::string const& id, std::string const& action, json::object body) {
    return c.post_json("/api/v1/events/bericht/attendees/" + id + "/" + action, body, s.auth());
  };
  EXPECT_EQ(correct(came, "admit", {}).status, 422) << "no correction without a reason";
  EXPECT_EQ(correct(came, "admit", {{"reason", "x"}, {"list", 999999}}).status, 422);
  auto admitted = correct(came, "admit", {{"reason", "Ticket zu Hause vergessen, Ausweis gesehen"}});
  ASSERT_EQ(admitted.status, 200) << admitted.body;
  EXPECT_EQ(admitted.json().at("result"), "ok");
  EXPECT_EQ(correct(came, "admit", {{"reason", "noch einmal"}}).json().at("result"), "already_checked_in");
  auto taken_back = correct(scanned, "unadmit", {{"reason", "Falsches Ticket gescannt"}});
  ASSERT_EQ(taken_back.status, 200) << taken_back.body;
  EXPECT_EQ(taken_back.json().at("result"), "undone");
  EXPECT_EQ(correct(scanned, "unadmit", {{"reason", "noch einmal"}}).status, 404) << "not admitted any more";
  EXPECT_EQ(correct("999999", "admit", {{"reason", "x"}}).status, 404);

  auto stats = c.get("/api/v1/events/bericht/stats", s.auth()).json();
  EXPECT_EQ(stats.at("checked_in"), 1) << "one admitted by hand, one taken back";
  EXPECT_EQ(stats.at("inside"), 1);
  auto log = c.get("/api/v1/events/bericht/audit", s.auth()).json().at("entries").as_array();
  ASSERT_GE(log.size(), 2u);
  EXPECT_EQ(log[0].at("action"), "attendee.unadmit");
  EXPECT_EQ(log[0].at("detail").at("reason"), "Falsches Ticket gescannt");
  EXPECT_EQ(log[1].at("action"), "attendee.admit");

  auto book = python(read_xlsx, {download("attendees.xlsx", "c.xlsx")}).as_object();
  auto const& scans = book.at("Check-ins").at("rows").as_array();
  ASSERT_EQ(scans.size(), 4u);  // the head, the door's scan, and the two corrections
  auto const& head = scans[0].as_array();
  EXPECT_EQ(head[11], "Korrigiert von");
  EXPECT_EQ(head[12], "Grund");
  std::vector<std::string> reasons;
  for (std::size_t i = 1; i < scans.size(); ++i) {
    auto const& row = scans[i].as_array();
    if (row[12].is_string()) {
      reasons.emplace_back(row[12].as_string());
      EXPECT_EQ(row[11], "organiser@example.org") << "the organiser who corrected it";
      EXPECT_TRUE(row[4].is_null() || row[4] == "") << "no device";
    }
  }
  EXPECT_EQ(reasons,
            (std::vector<std::string>{"Ticket zu Hause vergessen, Ausweis gesehen", "Falsches Ticket gescannt"}));

  // Deleting Mohammed's data deletes the reason that spoke of him; the check-in stays counted.
  ASSERT_EQ(correct(came, "anonymise", {}).status, 200);
  book = python(read_xlsx, {download("attendees.xlsx", "d.xlsx")}).as_object();
  int kept = 0;
  for (auto const& row : book.at("Check-ins").at("rows").as_array())
    kept += row.as_array()[12] == "Falsches Ticket gescannt" ? 1 : row.as_array()[12].is_string() ? 100 : 0;
  EXPECT_EQ(kept, 101) << "only the header's text and the other person's reason remain";
  EXPECT_EQ(c.get("/api/v1/events/bericht/stats", s.auth()).json().at("checked_in"), 1);
}

// Issue 16: bulk work on the attendee list: ten cancelled at once and the waiting list moves up,
// a working group moved, the list sorted, and the selection exported.
TEST(Attendees, TenAreCancelledAtOnceAndTheWaitingListMovesUp) {
  test_server s;
  auto e = s.create_event(forum("bulk", {{"capacity", 10}}));
  auto a = e.at("sessions").as_array()[0].at("id").as_int64();
  auto b = e.at("sessions").as_array()[1].at("id").as_int64();
  auto c = s.client();
  std::vector<std::int64_t> first_ten;
  for (int i = 0; i < 14; ++i) {
    auto r =
        reg(c, "bulk",
            person("p" + std::to_string(i) + "@example.org",
                   {{"last_name", "Name" + std::string(1, static_cast<char>('A' + i))}, {"sessions", json::array{a}}}));
    ASSERT_EQ(r.status, 201) << r.body;
    if (i < 10) first_ten.push_back(r.json().at("id").as_int64());
  }
  auto bulk = [&](json::object body, std::string const& query = "") {
    return c.post_json("/api/v1/events/bulk/attendees/bulk" + query, body, s.auth());
  };
  EXPECT_EQ(bulk({{"action", "explode"}, {"ids", json::array{1}}}).status, 422);
  json::array ids;
  for (auto id : first_ten) ids.emplace_back(id);
  auto cancelled = bulk({{"action", "cancel"}, {"ids", ids}});
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json().at("done"), 10);
  EXPECT_EQ(cancelled.json().at("promoted").as_array().size(), 4u) << "all four waiting people moved up";
  auto stats = c.get("/api/v1/events/bulk/stats", s.auth()).json();
  EXPECT_EQ(stats.at("confirmed"), 4);
  EXPECT_EQ(stats.at("waitlisted"), 0);
  EXPECT_EQ(bulk({{"action", "cancel"}, {"ids", ids}}).json().at("unchanged"), 10) << "cancelled already";

  // Everyone confirmed (the filter of the list) moves from working group A to B.
  auto moved = bulk({{"action", "move_session"}, {"from", a}, {"to", b}}, "?status=confirmed");
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json().at("done"), 4);
  auto in_b = c.get("/api/v1/events/bulk/attendees?session=" + std::to_string(b), s.auth()).json();
  EXPECT_EQ(in_b.at("total"), 4);

  // Sorted by status, then name, descending; then the selection downloaded.
  auto sorted = c.get("/api/v1/events/bulk/attendees?sort=status&order=desc&limit=3", s.auth()).json();
  auto const& rows = sorted.at("attendees").as_array();
  EXPECT_EQ(rows[0].at("status"), "confirmed");
  EXPECT_EQ(rows[0].at("last_name"), "NameN");
  EXPECT_EQ(c.get("/api/v1/events/bulk/attendees?sort=password", s.auth()).status, 422);
  auto csv = c.get(
      "/api/v1/events/bulk/attendees.csv?ids=" + std::to_string(first_ten[0]) + "," + std::to_string(first_ten[1]),
      s.auth());
  ASSERT_EQ(csv.status, 200);
  int lines = 0;
  for (char ch : csv.body) lines += ch == '\n';
  EXPECT_EQ(lines, 3) << "the head and the two people picked";
}

// Issue 14 (self-service): "send me my ticket again" answers the same for any address; a
// registered one gets its mail again.
TEST(Attendees, ATicketIsSentAgainOnRequestAndTheAnswerTellsNoOneWhoIsRegistered) {
  test_server s;
  s.create_event(forum("nochmal"));
  auto c = s.client();
  auto r = reg(c, "nochmal", person("da@example.org"));
  ASSERT_EQ(r.status, 201);
  auto mails = [&] {
    return c.get("/api/v1/events/nochmal/attendees", s.auth())
        .json()
        .at("attendees")
        .as_array()[0]
        .at("mails")
        .as_array()
        .size();
  };
  auto before = mails();
  auto known = c.post_json("/api/v1/events/nochmal/tickets/resend", json::object{{"email", "DA@example.org "}});
  auto unknown = c.post_json("/api/v1/events/nochmal/tickets/resend", json::object{{"email", "weg@example.org"}});
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.body, unknown.body) << "the same answer whether registered or not";
  EXPECT_EQ(mails(), before + 1) << "the ticket mail queued again";
  EXPECT_EQ(c.post_json("/api/v1/events/nochmal/tickets/resend", json::object{{"email", "kaputt"}}).status, 422);
  EXPECT_EQ(c.post_json("/api/v1/events/gibtsnicht/tickets/resend", json::object{{"email", "da@example.org"}}).status,
            404);
}
