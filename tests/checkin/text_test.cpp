#include "checkin/text.hpp"

#include <gtest/gtest.h>

using namespace einlass::checkin;

TEST(Text, AcceptsUtf8InAllThreeScripts) {
  EXPECT_TRUE(is_valid_utf8("Jürgen Müller"));
  EXPECT_TRUE(is_valid_utf8("محمد الكيلاني"));
  EXPECT_TRUE(is_valid_utf8("Ωμέγα 😀"));
  EXPECT_EQ(check_text("Jürgen Müller", 100), "");
  EXPECT_EQ(check_text("محمد الكيلاني", 100), "");
}

TEST(Text, RejectsMalformedUtf8) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_EQ(check_text("abc\xFF", 100), "invalid_text");
}

TEST(Text, RejectsControlCharactersButKeepsLineBreaksWhereAllowed) {
  EXPECT_EQ(check_text(std::string("a\0b", 3), 10), "invalid_text");
  EXPECT_EQ(check_text("a\nb", 10), "invalid_text");
  EXPECT_EQ(check_text("a\nb", 10, true), "");
  EXPECT_EQ(check_text("a\x1b[31mb", 10, true), "invalid_text");
}

TEST(Text, CountsCodePointsNotBytes) {
  EXPECT_EQ(check_text("ääää", 4), "");  // 8 bytes, 4 characters
  EXPECT_EQ(check_text("äääää", 4), "too_long");
}

TEST(Text, Email) {
  EXPECT_TRUE(is_plausible_email("lena.schmidt@jobcenter-leipzig.de"));
  EXPECT_TRUE(is_plausible_email("a+b@x.org"));
  EXPECT_FALSE(is_plausible_email("lena@"));
  EXPECT_FALSE(is_plausible_email("@x.de"));
  EXPECT_FALSE(is_plausible_email("lena@localhost"));
  EXPECT_FALSE(is_plausible_email("a b@x.de"));
  EXPECT_FALSE(is_plausible_email("a@b@x.de"));
  EXPECT_FALSE(is_plausible_email("<script>@x.de"));
  EXPECT_EQ(email_key("  Lena.Schmidt@Example.ORG "), "lena.schmidt@example.org");
}

TEST(Text, Slug) {
  EXPECT_TRUE(is_valid_slug("fachforum-dessau-2027"));
  EXPECT_FALSE(is_valid_slug("Fachforum"));
  EXPECT_FALSE(is_valid_slug("-x"));
  EXPECT_FALSE(is_valid_slug("a"));
  EXPECT_FALSE(is_valid_slug("a/b"));
  EXPECT_FALSE(is_valid_slug(std::string(65, 'a')));
}

TEST(Text, MalformedSequencesBecomeReplacementCharacters) {
  EXPECT_EQ(valid_utf8("ok ä"), "ok ä");
  EXPECT_EQ(valid_utf8("a\xC3(b"), "a\xEF\xBF\xBD(b");
  EXPECT_TRUE(is_valid_utf8(valid_utf8("\xFF\xFE\xED\xA0\x80")));
}
