#include "checkin/event.hpp"

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;

TEST(EventJson, DefaultsAreThoseOfATypicalNetworkEvent) {
  auto e = event_from_json(event_spec("treffen"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->timezone, "Europe/Berlin");
  EXPECT_EQ(e->status, "published");
  EXPECT_FALSE(e->waitlist);
  EXPECT_EQ(e->mode_of("organisation"), field_mode::required);
  EXPECT_EQ(e->mode_of("organisation_type"), field_mode::required);
  EXPECT_EQ(e->mode_of("phone"), field_mode::off);
}

TEST(EventJson, EveryFaultIsNamedByItsPath) {
  auto spec =
      event_spec("Bad Slug", {{"timezone", "Europe/Atlantis"},
                              {"capacity", -3},
                              {"fields", json::object{{"phone", "sometimes"}, {"shoe_size", "required"}}},
                              {"sessions", json::array{json::object{{"title", "AG 1"}}, json::object{{"capacity", 5}}}},
                              {"questions", json::array{json::object{{"label", "Diät?"}, {"kind", "single"}}}}});
  spec.erase("title");
  auto e = event_from_json(spec);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, errc::invalid_field);
  auto f = faults(e);
  for (auto expected : {"slug:invalid_slug", "title:required", "timezone:invalid_timezone", "capacity:invalid_number",
                        "fields.phone:invalid_choice", "fields.shoe_size:unknown_field", "sessions[1].title:required",
                        "questions[0].options:required"})
    EXPECT_NE(std::find(f.begin(), f.end(), expected), f.end()) << expected;
}

TEST(EventJson, EndBeforeStartIsRefused) {
  auto e = event_from_json(event_spec("x1", {{"ends_at", "2020-01-01T10:00"}}));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().fields.front().field, "ends_at");
}

TEST(EventStore, CreatedEventLoadsWithSessionsQuestionsAndKey) {
  db_fixture f;
  auto e = f.make_event(event_spec(
      "fachforum", {{"sessions", json::array{json::object{{"title", "AG Berufseinstieg"}, {"capacity", 30}},
                                             json::object{{"title", "AG Qualifizierung"}}}},
                    {"questions", json::array{json::object{{"label", "Essenswunsch"},
                                                           {"kind", "single"},
                                                           {"options", json::array{"vegetarisch", "vegan"}}}}}}));
  EXPECT_GT(e.id, 0);
  ASSERT_EQ(e.sessions.size(), 2u);
  EXPECT_EQ(e.sessions[0].title, "AG Berufseinstieg");
  EXPECT_EQ(e.sessions[0].seats_left(), 30);
  EXPECT_FALSE(e.sessions[1].capacity);
  ASSERT_EQ(e.questions.size(), 1u);
  EXPECT_EQ(e.questions[0].key, "q1");
  EXPECT_EQ(e.questions[0].options.size(), 2u);
  EXPECT_EQ(e.sign_public_key.size(), 32u);
  EXPECT_EQ(event_secret_key(f.db, e.id).size(), 64u);
  EXPECT_EQ(e.seats_left(), 100);
}

TEST(EventStore, SlugIsUnique) {
  db_fixture f;
  f.make_event(event_spec("einmalig"));
  auto again = event_from_json(event_spec("einmalig"));
  transaction tx(f.db);
  auto r = create_event(f.db, std::move(*again), std::nullopt, now());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::slug_taken);
}

TEST(EventJson, PublicViewShowsTimesInTheEventsZone) {
  auto e = event_from_json(event_spec("zeit", {{"starts_at", "2027-03-10T09:30"}, {"ends_at", "2027-03-10T15:00"}}));
  auto o = event_to_json(*e, false);
  EXPECT_EQ(o["starts_at"].as_string(), "2027-03-10T09:30:00+01:00");
  EXPECT_FALSE(o.contains("confirmed"));
  EXPECT_TRUE(event_to_json(*e, true).contains("confirmed"));
}
