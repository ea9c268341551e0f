// Texts in several languages: read from the API's strings or objects, stored, and shown in the
// reader's language or else the event's.
#include "checkin/localized.hpp"
#include "checkin/event.hpp"
#include "checkin/store.hpp"

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;
using namespace einlass::test;
namespace json = boost::json;

namespace {

json::object bilingual() {
  return event_spec(
      "finden-und-binden",
      {{"title", json::object{{"de", "Finden und Binden"}, {"ar", "إيجاد الكفاءات والاحتفاظ بها"}}},
       {"venue", json::object{{"de", "IHK Magdeburg"}}},
       {"sessions",
        json::array{json::object{{"title", json::object{{"de", "AG Anerkennung"}, {"ar", "مجموعة الاعتراف"}}},
                                 {"description", json::object{{"de", "Berufsabschlüsse aus dem Ausland"}}}}}},
       {"questions",
        json::array{json::object{{"label", json::object{{"de", "Essen"}, {"ar", "الطعام"}}},
                                 {"kind", "single"},
                                 {"options", json::object{{"de", json::array{"vegetarisch", "mit Fleisch"}},
                                                          {"ar", json::array{"نباتي", "مع لحم"}}}}}}}});
}

}  // namespace

TEST(Localized, ReaderGetsTheirLanguageWhereWrittenElseTheEvents) {
  auto e = event_from_json(bilingual());
  ASSERT_TRUE(e) << faults(e).front();
  EXPECT_EQ(e->language, "de");
  EXPECT_EQ(e->title, "Finden und Binden");
  auto ar = e->text(text_field::title, "ar");
  EXPECT_EQ(ar.text, "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(ar.lang, "ar");
  EXPECT_EQ(ar.dir(), "rtl");
  auto en = e->text(text_field::title, "en");  // not written in English: German, marked as German
  EXPECT_EQ(en.text, "Finden und Binden");
  EXPECT_EQ(en.lang, "de");
  EXPECT_EQ(en.dir(), "ltr");
  EXPECT_EQ(e->text(text_field::venue, "ar").lang, "de");
  EXPECT_EQ(e->text(e->sessions[0], text_field::title, "ar").text, "مجموعة الاعتراف");
  EXPECT_EQ(e->text(e->sessions[0], text_field::description, "ar").text, "Berufsabschlüsse aus dem Ausland");
  EXPECT_EQ(e->label(e->questions[0], "ar").text, "الطعام");
  auto options = e->options(e->questions[0], "ar");
  EXPECT_EQ(options.options, (std::vector<std::string>{"نباتي", "مع لحم"}));
  EXPECT_EQ(options.lang, "ar");
  EXPECT_EQ(e->options(e->questions[0], "en").lang, "de");
  EXPECT_EQ(e->languages(), (std::vector<std::string_view>{"de", "ar"}));
  // An answer chosen in Arabic is the option it stands for.
  EXPECT_EQ(option_index(e->questions[0].options, e->questions[0].texts, "مع لحم"), 1u);
  EXPECT_FALSE(option_index(e->questions[0].options, e->questions[0].texts, "vegan"));
}

TEST(Localized, AStringIsTheEventsLanguageAndAnEnglishEventFallsBackToEnglish) {
  auto e = event_from_json(event_spec("x1", {{"language", "en"}, {"title", "Job fair"}}));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->title, "Job fair");
  EXPECT_TRUE(e->texts.empty());
  EXPECT_EQ(e->text(text_field::title, "de").lang, "en");
}

TEST(Localized, FaultsAreNamedByLanguage) {
  auto spec = bilingual();
  spec["title"] = json::object{{"ar", "عنوان"}, {"fr", "Titre"}};
  spec["questions"].as_array()[0].as_object()["options"] =
      json::object{{"de", json::array{"a", "b"}}, {"ar", json::array{"أ"}}};
  spec["language"] = "tlh";
  auto e = event_from_json(spec);
  ASSERT_FALSE(e);
  auto f = faults(e);
  for (auto expected : {"language:invalid_choice", "title.de:required", "title.fr:unknown_language",
                        "questions[0].options.ar:options_count"})
    EXPECT_NE(std::find(f.begin(), f.end(), expected), f.end()) << expected;
}

TEST(Localized, OrganisersGetObjectsReadersStrings) {
  db_fixture f;
  auto e = find_event(f.db, f.make_event(bilingual()).id);
  ASSERT_TRUE(e);
  auto organiser = event_to_json(*e, true);
  EXPECT_EQ(organiser.at("title").at("ar"), "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(organiser.at("title").at("de"), "Finden und Binden");
  EXPECT_EQ(organiser.at("questions").at(0).at("options").at("ar").at(1), "مع لحم");
  auto reader = event_to_json(*e, false, "ar");
  EXPECT_EQ(reader.at("title"), "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(reader.at("venue"), "IHK Magdeburg");
  EXPECT_EQ(reader.at("questions").at(0).at("options").at(0), "نباتي");
  EXPECT_EQ(reader.at("questions").at(0).at("values").at(0), "vegetarisch");
  EXPECT_EQ(event_to_json(*e, false).at("title"), "Finden und Binden");
  // What an organiser reads back is what they can send again unchanged.
  auto again = event_from_json(organiser);
  ASSERT_TRUE(again) << faults(again).front();
  EXPECT_EQ(again->texts, e->texts);
  EXPECT_EQ(again->questions[0].texts, e->questions[0].texts);
}

TEST(Localized, StoredAndLoadedWithEveryLanguage) {
  db_fixture f;
  auto e = f.make_event(bilingual());
  auto loaded = find_event(f.db, e.slug);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->text(text_field::title, "ar").text, "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_EQ(loaded->text(loaded->sessions[0], text_field::title, "ar").text, "مجموعة الاعتراف");
  EXPECT_EQ(loaded->sessions[0].description, "Berufsabschlüsse aus dem Ausland");
  EXPECT_EQ(loaded->options(loaded->questions[0], "ar").options[1], "مع لحم");
  // An update that drops the Arabic title keeps the rest.
  auto spec = bilingual();
  spec["title"] = "Finden und Binden 2027";
  auto next = event_from_json(spec);
  ASSERT_TRUE(next);
  auto updated = update_event(f.db, *loaded, *next);
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->text(text_field::title, "ar").lang, "de");
  EXPECT_EQ(updated->text(updated->sessions[0], text_field::title, "ar").lang, "ar");
}

TEST(Localized, MailTextsPerKindAndLanguageWithFaultsNamedByPath) {
  auto e = event_from_json(event_spec(
      "x1", {{"mail_texts",
              json::object{{"ticket", json::object{{"intro", json::object{{"de", "Ausweis!"}, {"ar", "الهوية!"}}},
                                                   {"closing", "Parken hinten."}}},
                           {"reminder", json::object{{"intro", json::object{{"en", "See you!"}}}}}}}}));
  ASSERT_TRUE(e) << faults(e).front();
  EXPECT_EQ(e->mail.get("ticket", "intro", "ar", "de").text, "الهوية!");
  EXPECT_EQ(e->mail.get("ticket", "intro", "en", "de").lang, "de");
  EXPECT_EQ(e->mail.get("ticket", "closing", "ar", "de").text, "Parken hinten.");
  EXPECT_EQ(e->mail.get("reminder", "intro", "de", "de").text, "") << "only English written: a German guest gets none";
  EXPECT_TRUE(e->mail.get("thanks", "intro", "de", "de").text.empty());
  auto stored = mail_texts::from_text(e->mail.to_text());
  EXPECT_EQ(stored, e->mail);
  auto bad = event_from_json(event_spec(
      "x2",
      {{"mail_texts", json::object{{"spam", json::object{}},
                                   {"ticket", json::object{{"middle", "x"}, {"intro", json::object{{"fr", "x"}}}}}}}}));
  ASSERT_FALSE(bad);
  auto f = faults(bad);
  for (auto expected : {"mail_texts.spam:unknown_field", "mail_texts.ticket.middle:unknown_field",
                        "mail_texts.ticket.intro.fr:unknown_language"})
    EXPECT_NE(std::find(f.begin(), f.end(), expected), f.end()) << expected;
}
