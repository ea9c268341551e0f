// Documents (issue 15, first part): the ticket as a PDF, read back with poppler-utils (pdfinfo,
// pdffonts, pdftotext, pdftoppm) and its QR code decoded by zbarimg from the rendered page.
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace einlass::test;
namespace json = boost::json;

namespace {

std::string run(std::string const& program, std::vector<std::string> const& args) {
  auto r = run_program(program, args);
  if (r.exit_code != 0) throw std::runtime_error(program + ": " + r.err);
  return r.out;
}

// Letters only: pdftotext puts spaces between some Arabic glyphs it finds apart, and marks
// right-to-left runs; what matters is that the letters come back in their logical order.
std::string letters(std::string const& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n') continue;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xAB || static_cast<unsigned char>(s[i + 2]) == 0xAC)) {
      i += 2;  // U+202B, U+202C: the embedding marks pdftotext adds
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

}  // namespace

TEST(Documents, TheTicketPdfInA4AndA6HasTheCodeTheNameAndEveryFontEmbedded) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec(
      "forum", {{"title", json::object{{"de", "Netzwerktreffen Fachkräfte"}, {"ar", "لقاء شبكة الكفاءات"}}}}));
  auto c = s.client();
  auto r =
      c.post_json("/api/v1/events/forum/registrations",
                  person("salma@example.org", {{"first_name", "سلمى"}, {"last_name", "حداد"}, {"language", "ar"}}));
  ASSERT_EQ(r.status, 201);
  std::string code(r.json().at("ticket").at("code").as_string());
  for (std::string size : {"a4", "a6"}) {
    SCOPED_TRACE(size);
    auto pdf = c.get("/t/" + code + ".pdf?size=" + size);
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.header("content-disposition"), size == "a6" ? "attachment; filename=\"forum-ticket-a6.pdf\""
                                                              : "attachment; filename=\"forum-ticket.pdf\"");
    auto file = dir.file("ticket-" + size + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf.body;
    auto info = run("/usr/bin/pdfinfo", {file});
    EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
    EXPECT_NE(info.find(size == "a4" ? "595.276 x 841.89 pts (A4)" : "297.638 x 419.528 pts"), std::string::npos)
        << info;
    auto fonts = run("/usr/bin/pdffonts", {file});
    std::istringstream lines(fonts);
    int embedded = 0;
    for (std::string line; std::getline(lines, line);)
      if (line.find("TrueType") != std::string::npos) {
        EXPECT_NE(line.find(" yes yes yes "), std::string::npos) << "embedded as a subset: " << line;
        ++embedded;
      }
    EXPECT_GE(embedded, 2) << fonts;  // Noto Sans and Noto Sans Arabic
    auto text = letters(run("/usr/bin/pdftotext", {file, "-"}));
    EXPECT_NE(text.find(letters("سلمى حداد")), std::string::npos) << text;
    EXPECT_NE(text.find(letters("لقاء شبكة الكفاءات")), std::string::npos) << "the title in the holder's language";
    EXPECT_NE(text.find("HandwerkskammerzuLeipzig"), std::string::npos);
    run("/usr/bin/pdftoppm", {"-r", "150", "-png", "-singlefile", file, dir.file("page-" + size)});
    EXPECT_EQ(zbar_decode(dir.file("page-" + size + ".png")), code) << "the QR code as printed";
  }
  // Only a confirmed ticket is a document to show at the door.
  auto wait = c.post_json("/api/v1/events/forum/attendees/" + std::to_string(r.json().at("id").as_int64()) + "/cancel",
                          json::object{}, s.auth());
  ASSERT_EQ(wait.status, 200);
  EXPECT_EQ(c.get("/t/" + code + ".pdf").status, 404);
}

TEST(Documents, TheSignatureListHasEveryoneByLastNameOverTheRightPagesWithBlankRowsForWalkIns) {
  temp_dir dir;
  test_server s;
  s.create_event(
      event_spec("forum", {{"capacity", 200}, {"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  auto c = s.client();
  auto session = c.get("/api/v1/events/forum").json().at("sessions").at(0).at("id").as_int64();
  // 150 people (the size), one with an Arabic name, one with a very long one.
  for (int i = 0; i < 150; ++i) {
    json::object more{{"first_name", "Person"}, {"last_name", "Nachname" + std::to_string(1000 + i)}};
    if (i == 7) more = json::object{{"first_name", "سلمى"}, {"last_name", "حداد"}};
    if (i == 8)
      more = json::object{{"first_name", "Maria-Magdalena Theresia"},
                          {"last_name", "von Hohenzollern-Sigmaringen-Wittelsbach-Oberschwaben"}};
    if (i < 3) more["sessions"] = json::array{session};
    ASSERT_EQ(c.post_json("/api/v1/events/forum/registrations",
                          person("p" + std::to_string(i) + "@example.org", std::move(more)))
                  .status,
              201);
  }
  auto pdf = c.get("/api/v1/events/forum/attendance.pdf", s.auth());
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  auto file = dir.file("list.pdf");
  std::ofstream(file, std::ios::binary) << pdf.body;
  auto info = run("/usr/bin/pdfinfo", {file});
  int per_page = 23;  // rows of 9 mm on A4 under the head
  int pages = (150 + 10 + per_page - 1) / per_page;
  EXPECT_NE(info.find("Pages:           " + std::to_string(pages) + "\n"), std::string::npos) << info;
  EXPECT_NE(info.find("(A4)"), std::string::npos);
  auto text = run("/usr/bin/pdftotext", {"-layout", file, "-"});
  EXPECT_NE(text.find("Seite 2 von " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Unterschrift"), std::string::npos);
  // Sorted by last name: Nachname1000 before Nachname1001, and von Hohenzollern… after them.
  EXPECT_LT(text.find("Nachname1000"), text.find("Nachname1001"));
  EXPECT_LT(text.find("Nachname1149"), text.find("von Hohenzollern"));
  std::string line;  // the row with the Arabic name (pdftotext may space its letters apart)
  std::istringstream rows(text);
  for (std::string l; std::getline(rows, l);)
    if (letters(l).find(letters("حداد")) != std::string::npos) line = l;
  EXPECT_NE(letters(line).find(letters("حداد")), std::string::npos) << line;
  EXPECT_NE(letters(line).find(letters("سلمى")), std::string::npos) << line;
  EXPECT_NE(text.find("160"), std::string::npos) << "numbered on into the blank rows";
  // The table head on every page.
  std::size_t heads = 0;
  for (auto at = text.find("Unterschrift"); at != std::string::npos; at = text.find("Unterschrift", at + 1)) ++heads;
  EXPECT_EQ(heads, static_cast<std::size_t>(pages));
  // Per working group: the three in it, one page.
  auto group = c.get("/api/v1/events/forum/attendance.pdf?list=" + std::to_string(session), s.auth());
  ASSERT_EQ(group.status, 200);
  std::ofstream(dir.file("group.pdf"), std::ios::binary) << group.body;
  auto group_text = run("/usr/bin/pdftotext", {dir.file("group.pdf"), "-"});
  EXPECT_NE(group_text.find("AG Anerkennung"), std::string::npos);
  EXPECT_NE(group_text.find("Nachname1002"), std::string::npos);
  EXPECT_EQ(group_text.find("Nachname1003"), std::string::npos);
  EXPECT_EQ(c.get("/api/v1/events/forum/attendance.pdf?list=999", s.auth()).status, 422);
  EXPECT_EQ(c.get("/api/v1/events/forum/attendance.pdf").status, 401);
}
