#include "checkin/time.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;

TEST(Time, OffsetIsExact) {
  auto t = parse_iso8601("2026-12-03T16:00:00+01:00", "Europe/Berlin");
  ASSERT_TRUE(t);
  EXPECT_EQ(to_utc_text(*t), "2026-12-03T15:00:00Z");
  EXPECT_EQ(to_utc_text(*parse_iso8601("2026-12-03T15:00Z", "Europe/Berlin")), "2026-12-03T15:00:00Z");
  EXPECT_EQ(to_utc_text(*parse_iso8601("2026-12-03T10:30:00-0500", "UTC")), "2026-12-03T15:30:00Z");
}

TEST(Time, WallTimeIsReadInTheEventsZoneAcrossDaylightSaving) {
  EXPECT_EQ(to_utc_text(*parse_iso8601("2026-12-03T16:00", "Europe/Berlin")), "2026-12-03T15:00:00Z");  // CET
  EXPECT_EQ(to_utc_text(*parse_iso8601("2026-06-03T16:00", "Europe/Berlin")), "2026-06-03T14:00:00Z");  // CEST
}

TEST(Time, RendersWithTheZonesOffset) {
  auto t = *parse_utc_text("2026-06-03T14:00:00Z");
  EXPECT_EQ(to_iso8601(t, "Europe/Berlin"), "2026-06-03T16:00:00+02:00");
  EXPECT_EQ(to_iso8601(t, "UTC"), "2026-06-03T14:00:00+00:00");
  auto p = to_local(t, "Europe/Berlin");
  EXPECT_EQ(p.hour, 16);
  EXPECT_EQ(p.weekday, 3);  // Wednesday
}

TEST(Time, RejectsWhatIsNotADateTime) {
  for (auto bad : {"", "2026-13-01T10:00", "2026-02-30T10:00", "2026-12-03", "tomorrow", "2026-12-03T25:00",
                   "2026-12-03T10:00+1", "2026-12-03T10:00Zjunk"})
    EXPECT_FALSE(parse_iso8601(bad, "Europe/Berlin")) << bad;
  EXPECT_FALSE(parse_iso8601("2026-12-03T10:00", "Mars/Olympus"));
  EXPECT_TRUE(is_known_timezone("Europe/Berlin"));
  EXPECT_FALSE(is_known_timezone("Europe/Atlantis"));
}
