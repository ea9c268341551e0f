// The PDF layer on its own: several threads lay out documents at the same time (the export
// workers and the mail sender do, and several servers share one test process), each with its own
// surface and layout; every document comes out whole, its text read back by pdftotext.
#include "checkin/pdf.hpp"
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

}  // namespace
