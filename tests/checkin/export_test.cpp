#include "checkin/export.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

using namespace einlass::checkin;

namespace {

// What a csv_sink writes for some rows, without the byte order mark.
template <class F>
std::string csv(char sep, F&& rows) {
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f = open_memstream(&buf, &size);
  {
    csv_sink out(f, sep, "Europe/Berlin");
    rows(out);
  }
  std::fclose(f);
  std::string s(buf, size);
  std::free(buf);
  EXPECT_EQ(s.substr(0, 3), "\xEF\xBB\xBF");
  return s.substr(3);
}

}  // namespace

TEST(Csv, QuotesWhatNeedsQuotingAsRfc4180Says) {
  auto s = csv(';', [](table_sink& out) {
    out.text("plain");
    out.text("a;b");
    out.text("say \"hi\"");
    out.text("two\nlines");
    out.text("a,b");
    out.end_row();
  });
  // Either separator is quoted whichever the file uses: a file saved with one is often
  // opened with the other (security review, finding 6).
  EXPECT_EQ(s, "plain;\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";\"a,b\"\r\n");
  auto c = csv(',', [](table_sink& out) {
    out.text("a,b");
    out.text("a;b");
    out.end_row();
  });
  EXPECT_EQ(c, "\"a,b\",\"a;b\"\r\n");
}

TEST(Csv, NeutralisesFormulas) {
  auto s = csv(';', [](table_sink& out) {
    for (auto v : {"=HYPERLINK(\"http://x\")", "+49 341", "-1", "@SUM(A1)", "\tx", "\rx", "a=b"}) out.text(v);
    out.end_row();
  });
  EXPECT_EQ(s, "\"'=HYPERLINK(\"\"http://x\"\")\";\"'+49 341\";\"'-1\";\"'@SUM(A1)\";\"'\tx\";\"'\rx\";a=b\r\n");
}

TEST(Csv, NumbersTimesAndBlanksFollowTheSeparator) {
  auto at = *parse_utc_text("2026-12-03T08:05:09Z");
  auto de = csv(';', [&](table_sink& out) {
    out.number(42);
    out.percent(0.125);
    out.number(1.5);
    out.blank();
    out.time(at);
    out.end_row();
  });
  EXPECT_EQ(de, "42;12,5%;1,5;;2026-12-03 09:05:09\r\n");  // Berlin is UTC+1 in December
  auto en = csv(',', [&](table_sink& out) {
    out.percent(0.125);
    out.number(1.5);
    out.end_row();
  });
  EXPECT_EQ(en, "12.5%,1.5\r\n");
}
