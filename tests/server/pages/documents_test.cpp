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
