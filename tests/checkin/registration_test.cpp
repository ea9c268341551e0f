#include "checkin/registration.hpp"

#include "checkin/ticket.hpp"
#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;

namespace {
json::object sessions3() {
  return {
      {"sessions",
       json::array{
           json::object{
               {"title", "AG 1"}, {"capacity", 1}, {"starts_at", "2030-05-02T10:00"}, {"ends_at", "2030-05-02T12:00"}},
           json::object{{"title", "AG 2"}, {"starts_at", "2030-05-02T10:00"}, {"ends_at", "2030-05-02T12:00"}},
           json::object{{"title", "Abendessen"}, {"starts_at", "2030-05-02T18:00"}, {"ends_at", "2030-05-02T20:00"}}}}};
}
}  // namespace

TEST(Registration, ConfirmedWithSignedTicket) {
  db_fixture f;
  auto e = f.make_event(event_spec("treffen"));
  auto r = f.register_json(e, person("lena@example.org"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, reg_status::confirmed);
  EXPECT_TRUE(verify_ticket_code(r->ticket_code, e.sign_public_key));
  auto stored = find_registration(f.db, r->ticket_code);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, "lena@example.org");
  EXPECT_EQ(stored->organisation_type, "job_centre");
}

TEST(Registration, ConsentIsStoredWithTimeAndNoticeVersion) {
  db_fixture f;
  auto e = f.make_event(event_spec("treffen"));
  auto at = *parse_utc_text("2026-11-21T10:00:00Z");
  auto r = f.register_json(e, person("lena@example.org"), at);
  ASSERT_TRUE(r);
  auto st = f.db.prepare("SELECT consent_at, consent_version FROM registrations WHERE id = ?1");
  st.bind(1, r->id);
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.text(0), "2026-11-21T10:00:00Z");
  EXPECT_EQ(st.text(1), privacy_notice_version);
}

TEST(Registration, EveryInvalidFieldIsNamed) {
  db_fixture f;
  auto e = f.make_event(event_spec("treffen", {{"fields", json::object{{"phone", "required"}}}}));
  auto r = f.register_json(
      e,
      person("nope",
             {{"first_name", "  "}, {"organisation_type", "pirate_ship"}, {"phone", "call me"}, {"consent", false}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_field);
  EXPECT_EQ(faults(r),
            (std::vector<std::string>{"first_name:required", "email:invalid_email", "organisation_type:invalid_choice",
                                      "phone:invalid_phone", "consent:consent_required"}));
}

TEST(Registration, WrongJsonTypesAreFieldErrors) {
  auto r = registration_from_json(json::object{{"first_name", 7}, {"sessions", "1"}, {"consent", "yes"}});
  ASSERT_FALSE(r);
  std::vector<std::string> got;
  for (auto const& fe : r.error().fields) got.push_back(fe.field);
  EXPECT_EQ(got, (std::vector<std::string>{"first_name", "sessions", "consent"}));
}

TEST(Registration, SameEmailTwiceIsRefusedWhateverItsCase) {
  db_fixture f;
  auto e = f.make_event(event_spec("treffen"));
  ASSERT_TRUE(f.register_json(e, person("Lena@Example.org")));
  auto again = f.register_json(e, person(" lena@example.ORG "));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, errc::already_registered);
  EXPECT_EQ(again.error().fields.front().field, "email");
}

TEST(Registration, FullEventWithoutWaitingListIsRefused) {
  db_fixture f;
  auto e = f.make_event(event_spec("klein", {{"capacity", 2}}));
  ASSERT_TRUE(f.register_json(e, person("a@example.org")));
  ASSERT_TRUE(f.register_json(e, person("b@example.org")));
  auto r = f.register_json(e, person("c@example.org"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::event_full);
  EXPECT_EQ(find_event(f.db, "klein")->seats_left(), 0);
}

TEST(Registration, FullEventWithWaitingListWaitlists) {
  db_fixture f;
  auto e = f.make_event(event_spec("warteliste", {{"capacity", 1}, {"waitlist", true}}));
  EXPECT_EQ(f.register_json(e, person("a@example.org"))->status, reg_status::confirmed);
  auto r = f.register_json(e, person("b@example.org"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, reg_status::waitlisted);
  auto loaded = find_event(f.db, "warteliste");
  EXPECT_EQ(loaded->confirmed, 1);
  EXPECT_EQ(loaded->waitlisted, 1);
}

TEST(Registration, FullSessionIsRefusedAndNamed) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", sessions3()));
  auto ag1 = e.sessions[0].id;
  ASSERT_TRUE(f.register_json(e, person("a@example.org", {{"sessions", json::array{ag1}}})));
  auto r = f.register_json(e, person("b@example.org", {{"sessions", json::array{ag1}}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::session_full);
  EXPECT_EQ(r.error().detail, "AG 1");
  EXPECT_EQ(find_event(f.db, "forum")->sessions[0].seats_left(), 0);
}

TEST(Registration, SessionsAreCheckedForExistenceAndOverlap) {
  db_fixture f;
  auto e = f.make_event(event_spec("forum", sessions3()));
  auto r = f.register_json(e, person("a@example.org", {{"sessions", json::array{e.sessions[0].id, e.sessions[1].id}}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(faults(r), std::vector<std::string>{"sessions:sessions_overlap"});
  r = f.register_json(e, person("a@example.org", {{"sessions", json::array{99999}}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(faults(r), std::vector<std::string>{"sessions:unknown_session"});
  auto ok =
      f.register_json(e, person("a@example.org", {{"sessions", json::array{e.sessions[1].id, e.sessions[2].id}}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(find_registration(f.db, ok->ticket_code)->sessions.size(), 2u);
}

TEST(Registration, RegistrationWindowIsKept) {
  db_fixture f;
  auto e = f.make_event(event_spec(
      "fenster", {{"registration_opens_at", "2030-01-01T00:00Z"}, {"registration_closes_at", "2030-02-01T00:00Z"}}));
  auto before = f.register_json(e, person("a@example.org"), *parse_utc_text("2029-12-31T23:59:59Z"));
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, errc::registration_not_open);
  auto after = f.register_json(e, person("a@example.org"), *parse_utc_text("2030-02-01T00:00:00Z"));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, errc::registration_closed);
  EXPECT_TRUE(f.register_json(e, person("a@example.org"), *parse_utc_text("2030-01-15T12:00:00Z")));
}

TEST(Registration, DraftEventTakesNoRegistrations) {
  db_fixture f;
  auto e = f.make_event(event_spec("entwurf", {{"status", "draft"}}));
  auto r = f.register_json(e, person("a@example.org"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::event_not_published);
}

TEST(Registration, CustomQuestionsAreCheckedAndStored) {
  db_fixture f;
  auto e = f.make_event(event_spec(
      "fragen", {{"questions",
                  json::array{json::object{{"label", "Anmerkung"}, {"kind", "text"}},
                              json::object{{"label", "Essen"},
                                           {"kind", "single"},
                                           {"required", true},
                                           {"options", json::array{"vegetarisch", "vegan"}}},
                              json::object{{"label", "Themen"},
                                           {"kind", "multiple"},
                                           {"options", json::array{"Anerkennung", "Sprache", "Recht"}}},
                              json::object{{"label", "Fotos erlaubt"}, {"kind", "checkbox"}, {"required", true}}}}}));
  auto bad = f.register_json(
      e, person("a@example.org", {{"answers", json::object{{"q2", "Fisch"}, {"q3", json::array{"Sport"}}}}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(faults(bad), (std::vector<std::string>{"answers.q2:invalid_choice", "answers.q3:invalid_choice",
                                                   "answers.q4:required"}));
  auto ok = f.register_json(
      e, person("a@example.org", {{"answers", json::object{{"q1", " Rollstuhl "},
                                                           {"q2", "vegan"},
                                                           {"q3", json::array{"Recht", "Sprache", "Recht"}},
                                                           {"q4", true},
                                                           {"unknown", "dropped"}}}}));
  ASSERT_TRUE(ok);
  auto stored = find_registration(f.db, ok->ticket_code);
  EXPECT_EQ(json::serialize(stored->answers), R"({"q1":"Rollstuhl","q2":"vegan","q3":["Recht","Sprache"],"q4":true})");
}

TEST(Registration, FormPostFieldsMapOntoTheSameInput) {
  db_fixture f;
  auto e = f.make_event(event_spec("formular", sessions3()));
  auto in = registration_from_form({{"first_name", "Amina"},
                                    {"last_name", "Haddad"},
                                    {"email", "amina@example.org"},
                                    {"organisation", "IHK"},
                                    {"organisation_type", "chamber"},
                                    {"consent", "1"},
                                    {"sessions", std::to_string(e.sessions[2].id)},
                                    {"lang", "ar"}},
                                   e);
  EXPECT_EQ(in.language, "ar");
  EXPECT_TRUE(in.consent);
  EXPECT_TRUE(validate(in, e).empty());
  EXPECT_EQ(in.sessions, std::vector<std::int64_t>{e.sessions[2].id});
}

TEST(Registration, InjectionAttemptsAreStoredVerbatim) {
  db_fixture f;
  auto e = f.make_event(event_spec("sicher"));
  std::string name = "Robert'); DROP TABLE registrations;--";
  std::string org = "<script>alert('x')</script> & Co";
  auto r = f.register_json(e, person("bobby@example.org", {{"last_name", name}, {"organisation", org}}));
  ASSERT_TRUE(r);
  auto stored = find_registration(f.db, r->ticket_code);
  EXPECT_EQ(stored->last_name, name);
  EXPECT_EQ(stored->organisation, org);
  EXPECT_EQ(find_event(f.db, "sicher")->confirmed, 1);
}

// The kept counts agree with counting the rows, however registrations change.
TEST(Registration, KeptCountsMatchTheRows) {
  db_fixture f;
  auto e =
      f.make_event(event_spec("zaehler", {{"capacity", 3},
                                          {"waitlist", true},
                                          {"sessions", json::array{json::object{{"title", "AG"}, {"capacity", 10}}}}}));
  auto sid = e.sessions[0].id;
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(f.register_json(e, person("p" + std::to_string(i) + "@example.org", {{"sessions", json::array{sid}}})));
  auto check = [&] {
    auto loaded = *find_event(f.db, "zaehler");
    auto count = [&](std::string const& sql) {
      auto st = f.db.prepare(sql);
      return st.step() ? st.int64(0) : -1;
    };
    EXPECT_EQ(loaded.confirmed, count("SELECT count(*) FROM registrations WHERE status = 'confirmed'"));
    EXPECT_EQ(loaded.waitlisted, count("SELECT count(*) FROM registrations WHERE status = 'waitlisted'"));
    EXPECT_EQ(loaded.cancelled, count("SELECT count(*) FROM registrations WHERE status = 'cancelled'"));
    EXPECT_EQ(loaded.sessions[0].confirmed,
              count("SELECT count(*) FROM registration_sessions rs JOIN registrations r ON r.id = rs.registration_id "
                    "WHERE r.status = 'confirmed'"));
    return loaded;
  };
  auto l = check();
  EXPECT_EQ(l.confirmed, 3);
  EXPECT_EQ(l.waitlisted, 2);
  EXPECT_EQ(l.sessions[0].confirmed, 3);
  f.db.exec("UPDATE registrations SET status = 'cancelled' WHERE email = 'p0@example.org'");
  f.db.exec("UPDATE registrations SET status = 'confirmed' WHERE email = 'p3@example.org'");
  l = check();
  EXPECT_EQ(l.cancelled, 1);
  f.db.exec("DELETE FROM registrations WHERE email IN ('p1@example.org', 'p4@example.org')");
  l = check();
  EXPECT_EQ(l.confirmed, 2);
  EXPECT_EQ(l.waitlisted, 0);
  f.db.exec(
      "DELETE FROM registration_sessions WHERE registration_id = (SELECT id FROM registrations WHERE email = "
      "'p2@example.org')");
  l = check();
  EXPECT_EQ(l.sessions[0].confirmed, 1);
}
