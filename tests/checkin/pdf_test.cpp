// The PDF layer on its own: several threads lay out documents at the same time (the export
// workers and the mail sender do, and several servers share one test process), each with its own
// surface and layout; every document comes out whole, its text read back by pdftotext.
#include "checkin/pdf.hpp"
#include "checkin/qr.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

using namespace einlass::checkin;
using namespace einlass::test;

namespace {

std::string without_spaces(std::string const& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '\n') out += c;
  return out;
}

std::string document_of(int thread, int n) {
  return pdf::to_string(pdf::a6, "Test", [&](pdf::document& d) {
    auto name = "Thread " + std::to_string(thread) + " Dokument " + std::to_string(n);
    d.text(10, 10, 85, name, {.size_pt = 14, .bold = true, .lang = "de"});
    d.text(10, 30, 85, "ليلى حداد", {.size_pt = 12, .lang = "ar"});
    d.text(10, 50, 85, "Eine längere Zeile, die Pango umbrechen muss, weil sie nicht in eine Zeile passt.",
           {.lang = "de"});
  });
}

TEST(Pdf, ThreadsLayingOutDocumentsAtOnceEachGetTheirOwnWhole) {
  constexpr int threads = 4;
  constexpr int each = 6;
  std::vector<std::vector<std::string>> made(threads);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([t, &made] {
      for (int n = 0; n < each; ++n) made[t].push_back(document_of(t, n));
    });
  for (auto& w : workers) w.join();

  temp_dir dir;
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(made[t].size(), static_cast<std::size_t>(each));
    for (int n = 0; n < each; ++n) {
      auto const& bytes = made[t][n];
      ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
      auto file = dir.file("d.pdf");
      std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
      auto r = run_program("/usr/bin/pdftotext", {file, "-"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      auto text = without_spaces(r.out);
      EXPECT_NE(text.find("Thread" + std::to_string(t) + "Dokument" + std::to_string(n)), std::string::npos) << r.out;
      EXPECT_NE(text.find("حداد"), std::string::npos) << r.out;  // ليلى's lam-alef ligature reads back reversed
      EXPECT_NE(text.find("umbrechenmuss"), std::string::npos) << r.out;
    }
  }
}

// A logo as organisations draw them: a red field with a yellow word on it, sized by width and height,
// by a viewBox alone, or (100 %) by nothing a document could measure.
std::string red_logo(std::string const& size) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" " + size +
         "><rect width=\"200\" height=\"100\" fill=\"#d01010\"/>"
         "<text x=\"20\" y=\"65\" font-family=\"Noto Sans\" font-size=\"40\" fill=\"#f0e020\">Kammer</text></svg>";
}

TEST(Pdf, AnSvgLogoIsDrawnInItsProportionsWithItsWords) {
  auto sized = red_logo(R"(width="200" height="100")");
  auto boxed = red_logo(R"(viewBox="0 0 200 100")");
  auto unmeasurable = red_logo(R"(width="100%" height="100%")");
  bool drawn = false, refused = true;
  auto bytes = pdf::to_string(pdf::a6, "Logo", [&](pdf::document& d) {
    EXPECT_DOUBLE_EQ(d.image_width(40, 10, sized), 20) << "2:1 into a 40 x 10 box";
    EXPECT_DOUBLE_EQ(d.image_width(40, 100, boxed), 40);
    EXPECT_EQ(d.image_width(40, 10, unmeasurable), 0);
    EXPECT_EQ(d.image_width(40, 10, "<svg"), 0) << "not an SVG librsvg can read";
    EXPECT_EQ(d.image_width(40, 10, "GIF89a"), 0);
    drawn = d.image(10, 10, 80, 40, sized);  // 80 x 40 mm
    refused = d.image(10, 60, 80, 40, unmeasurable) || d.image(10, 60, 80, 40, "<svg");
  });
  EXPECT_TRUE(drawn);
  EXPECT_FALSE(refused);
  temp_dir dir;
  auto file = dir.file("logo.pdf");
  std::ofstream(file, std::ios::binary) << bytes;
  auto page = render_page(file, 50);  // A6 at 50 dpi: 207 x 291 pixels
  int red = page.count(0xd01010);
  double expected = (80 / 25.4 * 50) * (40 / 25.4 * 50);  // 157 x 79 pixels, less the word
  EXPECT_GT(red, expected * 0.8) << "the field fills its 80 x 40 mm";
  EXPECT_LT(red, expected * 1.05);
  EXPECT_GT(page.count(0xf0e020), 200) << "the word on it";
  EXPECT_EQ(run_program("/usr/bin/pdfimages", {"-list", file}).out.find("image"), std::string::npos)
      << "as vectors, not as a picture";
}

TEST(Pdf, AnSvgOfAbsurdSizeIsLeftOutAndTheDocumentStillComesOut) {
  std::string text;
  temp_dir dir;
  auto file = dir.file("absurd.pdf");
  auto bytes = pdf::to_string(pdf::a6, "Logo", [&](pdf::document& d) {
    // cairo would draw the 1e30 and 0.0001 ones at a scale that shows nothing, or a speck.
    for (auto const* size :
         {R"(width="1e308in" height="1e308in")", R"(width="1e-300" height="1e-300")", R"(viewBox="0 0 1e-300 1e-300")",
          R"(width="1e30" height="1e30")", R"(width="0.0001" height="0.0001")", R"(width="NaN" height="5")",
          R"(viewBox="0 0 -5 5")"}) {
      EXPECT_EQ(d.image_width(80, 40, red_logo(size)), 0) << size;
      EXPECT_FALSE(d.image(10, 10, 80, 40, red_logo(size))) << size;
    }
    d.text(10, 60, 85, "Nach den Logos", {});
  });
  std::ofstream(file, std::ios::binary) << bytes;
  EXPECT_NE(run_program("/usr/bin/pdftotext", {file, "-"}).out.find("Nach den Logos"), std::string::npos);
}

TEST(Pdf, BytesThatAreNotUtf8NeitherStopTheDocumentNorReachIt) {
  // Found by the writers fuzz target: cairo refused the whole document over its title.
  temp_dir dir;
  auto file = dir.file("bytes.pdf");
  std::ofstream(file, std::ios::binary) << pdf::to_string(pdf::a6, "Teilnahme\xd5\xd1liste", [](pdf::document& d) {
    d.text(10, 10, 85, "Name \xff\xfe", {});
    d.text(10, 30, 85, "Danach", {});
  });
  auto text = run_program("/usr/bin/pdftotext", {file, "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Danach"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Name \uFFFD\uFFFD"), std::string::npos) << "each bad byte a replacement sign";
  auto info = run_program("/usr/bin/pdfinfo", {file}).out;
  EXPECT_NE(info.find("Teilnahme\uFFFD\uFFFDliste"), std::string::npos) << info;
}

TEST(Pdf, ALogoOnEveryPageIsStoredOnceInTheFile) {
  auto svg = red_logo(R"(viewBox="0 0 200 100")");
  auto png = qr_png(make_qr("https://example.org/funder"), 8);
  auto made = [&](int pages) {
    return pdf::to_string(pdf::a6, "Logos", [&](pdf::document& d) {
      for (int i = 0; i < pages; ++i) {
        if (i > 0) d.next_page();
        EXPECT_TRUE(d.image(10, 10, 40, 20, svg));
        EXPECT_TRUE(d.image(60, 10, 40, 20, png));
      }
    });
  };
  auto blank = [](int pages) {
    return pdf::to_string(pdf::a6, "Logos", [&](pdf::document& d) {
      for (int i = 1; i < pages; ++i) d.next_page();
    });
  };
  // What the images add to one page, and to a hundred: a reference on each page after the first.
  auto on_one = made(1).size() - blank(1).size(), on_hundred = made(100).size() - blank(100).size();
  EXPECT_GT(on_one, 2000u) << "the SVG's drawing and the PNG's pixels";
  EXPECT_LT(on_hundred, 20 * on_one) << on_one << " bytes on one page, " << on_hundred << " on a hundred";
  temp_dir dir;
  auto file = dir.file("logos.pdf");
  std::ofstream(file, std::ios::binary) << made(3);
  for (int page = 1; page <= 3; ++page)
    EXPECT_GT(render_page(file, 50, page).count(0xd01010), 1000) << "the logo on page " << page;
}

TEST(Pdf, AnSvgLoadsNothingFromOutsideItsOwnBytes) {
  // An uploaded SVG that points at a file on the server: librsvg, given no base, refuses it.
  temp_dir dir;
  auto png = dir.file("black.png");
  std::ofstream(png, std::ios::binary) << qr_png(make_qr("x"), 40);
  auto svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"200\" "
      "height=\"100\"><rect width=\"200\" height=\"100\" fill=\"#d01010\"/>"
      "<image x=\"0\" y=\"0\" width=\"200\" height=\"100\" xlink:href=\"file://" +
      png + "\"/><image x=\"0\" y=\"0\" width=\"200\" height=\"100\" href=\"" + png + "\"/></svg>";
  auto bytes = pdf::to_string(pdf::a6, "Logo", [&](pdf::document& d) { d.image(10, 10, 80, 40, svg); });
  auto file = dir.file("logo.pdf");
  std::ofstream(file, std::ios::binary) << bytes;
  auto page = render_page(file, 50);
  EXPECT_GT(page.count(0xd01010), 5000) << "the logo is there";
  EXPECT_EQ(page.count(0x000000), 0) << "and the file it names is not";

  // The same picture inside the SVG's own bytes (a data: URL) is drawn: the check above can see it.
  auto inline_png = run_program("/usr/bin/base64", {"-w0", png}).out;
  auto own =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><image width=\"200\" "
      "height=\"100\" href=\"data:image/png;base64," +
      inline_png + "\"/></svg>";
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      << pdf::to_string(pdf::a6, "Logo", [&](pdf::document& d) { d.image(10, 10, 80, 40, own); });
  EXPECT_GT(render_page(file, 50).count(0x000000), 100);
}

}  // namespace
