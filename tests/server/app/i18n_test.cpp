#include "server/app/i18n.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

using namespace einlass::server;

TEST(Catalog, EveryKeyIsInAllThreeLanguages) {
  auto const& c = catalog::builtin();
  auto de = c.keys("de");
  EXPECT_GT(de.size(), 100u);
  EXPECT_EQ(c.keys("en"), de);
  EXPECT_EQ(c.keys("ar"), de);
}

TEST(Catalog, TheWorkspaceSpeaksGermanAndEnglishWithTheSameKeys) {
  auto const& c = catalog::workspace();
  EXPECT_GT(c.keys("de").size(), 200u);
  EXPECT_EQ(c.keys("en"), c.keys("de"));
}

namespace {
void expect_same_placeholders(catalog const& c, std::initializer_list<char const*> others) {
  std::regex ph(R"(\{(\w+)\})");
  for (auto const& key : c.keys("de")) {
    std::set<std::string> want;
    std::string de(c.text("de", key));
    for (auto it = std::sregex_iterator(de.begin(), de.end(), ph); it != std::sregex_iterator(); ++it)
      want.insert((*it)[1]);
    for (auto lang : others) {
      std::string t(c.text(lang, key));
      EXPECT_FALSE(t.empty()) << lang << " " << key;
      std::set<std::string> got;
      for (auto it = std::sregex_iterator(t.begin(), t.end(), ph); it != std::sregex_iterator(); ++it)
        got.insert((*it)[1]);
      EXPECT_EQ(got, want) << lang << " " << key;
    }
  }
}
}  // namespace

TEST(Catalog, NoTextIsEmptyAndPlaceholdersMatchAcrossLanguages) {
  expect_same_placeholders(catalog::builtin(), {"en", "ar"});
  expect_same_placeholders(catalog::workspace(), {"en"});
}

// Every reason and error code the domain can produce has a text.
TEST(Catalog, EveryDomainCodeHasAMessage) {
  auto const& c = catalog::builtin();
  for (auto code : {"invalid_field",
                    "not_found",
                    "registration_not_open",
                    "registration_closed",
                    "event_full",
                    "session_full",
                    "already_registered",
                    "slug_taken",
                    "event_not_published",
                    "unauthorized",
                    "forbidden",
                    "rate_limited",
                    "payload_too_large",
                    "malformed_json",
                    "invalid_utf8",
                    "bad_request",
                    "unsupported_media_type",
                    "method_not_allowed",
                    "internal",
                    "pairing_invalid",
                    "csrf_failed",
                    "session_in_use"})
    EXPECT_TRUE(c.has("de", std::string("error.") + code)) << code;
  for (auto reason :
       {"required",           "too_long",         "invalid_text",      "invalid_email",  "invalid_choice",
        "invalid_phone",      "unknown_session",  "sessions_overlap",  "session_full",   "consent_required",
        "already_registered", "invalid_type",     "invalid_time",      "invalid_number", "invalid_slug",
        "slug_taken",         "invalid_timezone", "ends_before_start", "unknown_field",  "too_short",
        "session_in_use",     "unknown_user",     "password_too_short"})
    EXPECT_TRUE(c.has("de", std::string("reason.") + reason)) << reason;
}

// The same, found in the sources rather than listed: every reason a field error is given where
// it is made (fail(errc::…, field, "reason"), {field, "reason"} pushed onto a list, error(path,
// "reason"), invalid(lang, field, "reason"), failure{…, {{field, "reason"}}}) has its text in all
// three languages, so no one reads a bare key. (Reasons returned by checking functions, such as
// check_text()'s, are in the list above.)
TEST(Catalog, EveryReasonTheSourcesGiveHasAMessageInEveryLanguage) {
  namespace fs = std::filesystem;
  auto const& c = catalog::builtin();
  fs::path root = fs::path(EINLASS_TESTS_DIR).parent_path();
  std::vector<std::regex> made{
      std::regex(R"re(fail\(errc::\w+,\s*[^;]*?,\s*"([a-z_]+)"\))re"),
      std::regex(R"re(push_back\(\{[^{};]*,\s*"([a-z_]+)"\}\))re"),
      std::regex(R"re(\berror\([^;]*?,\s*"([a-z_]+)"\))re"),
      std::regex(R"re(\binvalid\([^;]*?,\s*"([a-z_]+)"\))re"),
      std::regex(R"re(failure\{errc::\w+,\s*\{\{[^{};]*,\s*"([a-z_]+)"\}\})re"),
  };
  std::set<std::string> reasons;
  for (auto const* dir : {"checkin", "server"})
    for (auto const& f : fs::recursive_directory_iterator(root / dir)) {
      if (f.path().extension() != ".cpp") continue;
      std::ifstream in(f.path());
      std::string src((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (auto const& re : made)
        for (std::sregex_iterator it(src.begin(), src.end(), re), end; it != end; ++it) reasons.insert((*it)[1]);
    }
  EXPECT_GT(reasons.size(), 30u) << "the patterns still find the reasons";
  for (auto const& reason : reasons)
    for (auto lang : {"de", "en", "ar"}) EXPECT_TRUE(c.has(lang, "reason." + reason)) << lang << " " << reason;
}

TEST(Catalog, DatesAndNumbersFollowTheLanguage) {
  auto const& c = catalog::builtin();
  auto t = *einlass::checkin::parse_utc_text("2026-12-05T13:00:00Z");
  EXPECT_EQ(c.format_date("de", t, "Europe/Berlin"), "Samstag, 5. Dezember 2026");
  EXPECT_EQ(c.format_date("en", t, "Europe/Berlin"), "Saturday, 5 December 2026");
  EXPECT_EQ(c.format_date("ar", t, "Europe/Berlin"), "السبت، 5 ديسمبر 2026");
  EXPECT_EQ(c.format_time("de", t, "Europe/Berlin"), "14:00 Uhr");
  EXPECT_EQ(c.format_number("de", 1234567), "1.234.567");
  EXPECT_EQ(c.format_number("en", 1234567), "1,234,567");
  EXPECT_EQ(c.plural("de", "event.seats_left", 1), "Noch 1 Platz frei");
  EXPECT_EQ(c.plural("de", "event.seats_left", 1500), "Noch 1.500 Plätze frei");
  auto end = *einlass::checkin::parse_utc_text("2026-12-05T17:00:00Z");
  EXPECT_EQ(c.format_range("de", t, end, "Europe/Berlin"), "Samstag, 5. Dezember 2026, 14:00 Uhr – 18:00 Uhr");
}

TEST(Language, QueryThenCookieThenAcceptLanguageThenGerman) {
  request r;
  EXPECT_EQ(pick_language(r), "de");
  r.headers = {{"accept-language", "fr-FR,ar;q=0.9,en;q=0.8"}};
  EXPECT_EQ(pick_language(r), "ar");
  r.headers.emplace_back("cookie", "x=1; lang=en");
  EXPECT_EQ(pick_language(r), "en");
  r.query = {{"lang", "de"}};
  EXPECT_EQ(pick_language(r), "de");
  r.query = {{"lang", "xx"}};
  EXPECT_EQ(pick_language(r), "en");
}

// Every scan result the door page can show has a headline in every language.
TEST(Catalog, EveryScanResultHasAHeadline) {
  auto const& c = catalog::builtin();
  for (auto r : {"ok", "already_checked_in", "unknown_ticket", "cancelled", "waitlisted", "not_on_list", "wrong_event",
                 "checked_out", "not_inside", "undone", "unconfirmed", "queued", "forged"})
    for (auto lang : supported_languages) EXPECT_TRUE(c.has(lang, std::string("door.status.") + r)) << lang << " " << r;
}
