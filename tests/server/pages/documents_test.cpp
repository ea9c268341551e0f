// Documents (issue 15, first part): the ticket as a PDF, read back with poppler-utils (pdfinfo,
// pdffonts, pdftotext, pdftoppm) and its QR code decoded by zbarimg from the rendered page.
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

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
  // 150 people (the issue's size), one with an Arabic name, one with a very long one.
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

TEST(Documents, BadgesInThreeLayoutsKeepEveryWordInsideItsBadge) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec("forum", {{"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  auto c = s.client();
  auto session = c.get("/api/v1/events/forum").json().at("sessions").at(0).at("id").as_int64();
  std::set<std::string> codes;
  for (int i = 0; i < 20; ++i) {
    json::object more{{"first_name", "Vorname" + std::to_string(i)},
                      {"last_name", "Nachname" + std::to_string(100 + i)},
                      {"sessions", json::array{session}}};
    if (i == 3)
      more = json::object{{"first_name", "سلمى"}, {"last_name", "حداد"}, {"organisation_type", "migrant_organisation"}};
    if (i == 4)
      more = json::object{
          {"first_name", "Maximiliane-Friederike-Augusta"},
          {"last_name", "von Hohenzollern-Sigmaringen-Wittelsbach-Oberschwaben"},
          {"organisation", "Industrie- und Handelskammer Magdeburg, Geschäftsbereich Fachkräftesicherung"}};
    auto r = c.post_json("/api/v1/events/forum/registrations", person("b" + std::to_string(i) + "@example.org", more));
    ASSERT_EQ(r.status, 201);
    codes.insert(std::string(r.json().at("ticket").at("code").as_string()));
  }
  struct expectation {
    std::string layout, size;
    int pages;
    double badge_w, badge_h;
    int columns, rows;
  };
  for (auto const& x : {expectation{"a4-8", "595.276 x 841.89 pts (A4)", 3, 90, 54, 2, 4},
                        expectation{"a4-10", "595.276 x 841.89 pts (A4)", 2, 85, 55, 2, 5},
                        expectation{"label-62", "175.748 x 283.465 pts", 20, 62, 100, 1, 1}}) {
    SCOPED_TRACE(x.layout);
    auto pdf = c.get("/api/v1/events/forum/badges.pdf?layout=" + x.layout + "&qr=1", s.auth());
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    auto file = dir.file(x.layout + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf.body;
    auto info = run("/usr/bin/pdfinfo", {file});
    EXPECT_NE(info.find("Pages:           " + std::to_string(x.pages) + "\n"), std::string::npos) << info;
    EXPECT_NE(info.find(x.size), std::string::npos) << info;
    EXPECT_NE(letters(run("/usr/bin/pdftotext", {file, "-"})).find(letters("سلمى حداد")), std::string::npos);
    // Measured: every word of a badge lies inside one badge's rectangle (points, 0.5 pt slack).
    auto bbox = run("/usr/bin/pdftotext", {"-bbox", file, "-"});
    double mm = 72 / 25.4, page_w = x.layout == "label-62" ? 62 : 210, page_h = x.layout == "label-62" ? 100 : 297;
    double x0 = ((page_w - (x.columns * x.badge_w)) / 2) * mm;
    double y0 = std::min((page_h - (x.rows * x.badge_h)) / 2,
                         x.layout == "label-62" ? 0.0 : page_h - (x.rows * x.badge_h) - 14) *
                mm;
    double grid_bottom = y0 + (x.rows * x.badge_h * mm);
    std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    int checked = 0;
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end; ++it) {
      double x1 = std::stod((*it)[1]), y1 = std::stod((*it)[2]), x2 = std::stod((*it)[3]), y2 = std::stod((*it)[4]);
      if (y1 >= grid_bottom) continue;  // the legend below the sheet
      int col = static_cast<int>((x1 - x0) / (x.badge_w * mm)), row = static_cast<int>((y1 - y0) / (x.badge_h * mm));
      double left = x0 + (col * x.badge_w * mm), top = y0 + (row * x.badge_h * mm);
      EXPECT_TRUE(x1 >= left - 0.5 && x2 <= left + (x.badge_w * mm) + 0.5 && y1 >= top - 0.5 &&
                  y2 <= top + (x.badge_h * mm) + 0.5)
          << (*it)[5] << " at " << x1 << "," << y1 << "-" << x2 << "," << y2;
      ++checked;
    }
    EXPECT_GT(checked, 60);
    // Each badge of the first page rendered on its own at 300 dpi: its code decodes to its ticket.
    auto px = [](double points) { return std::to_string(static_cast<int>(points * 300 / 72)); };
    for (int cell = 0; cell < x.columns * x.rows; ++cell) {
      int column = cell % x.columns, row = cell / x.columns;
      double left = x0 + (column * x.badge_w * mm), top = y0 + (row * x.badge_h * mm);
      auto png = dir.file(x.layout + "-" + std::to_string(cell));
      run("/usr/bin/pdftoppm", {"-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", "-x", px(left), "-y", px(top),
                                "-W", px(x.badge_w * mm), "-H", px(x.badge_h * mm), file, png});
      EXPECT_TRUE(codes.count(zbar_decode(png + ".png"))) << "badge " << cell << "'s QR code is its ticket";
    }
  }
  EXPECT_EQ(c.get("/api/v1/events/forum/badges.pdf?layout=a3-1", s.auth()).status, 422);
  auto group = c.get("/api/v1/events/forum/badges.pdf?layout=label-62&session=" + std::to_string(session), s.auth());
  std::ofstream(dir.file("group.pdf"), std::ios::binary) << group.body;
  EXPECT_NE(run("/usr/bin/pdfinfo", {dir.file("group.pdf")}).find("Pages:           18\n"), std::string::npos);
}
