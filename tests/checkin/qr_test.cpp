#include "checkin/qr.hpp"

#include "checkin/ticket.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <regex>

using namespace einlass::checkin;
using namespace einlass::test;

TEST(Qr, TicketCodeFitsVersion7AtLevelM) {
  auto key = make_signing_key();
  for (int i = 0; i < 50; ++i) {
    auto q = make_qr(make_ticket_code(key));
    EXPECT_LE(q.version, 7);
    EXPECT_EQ(q.size, 17 + 4 * q.version);
  }
}

TEST(Qr, PngDecodesToExactlyTheCodeWithTwoIndependentDecoders) {
  temp_dir dir;
  auto code = make_ticket_code(make_signing_key());
  auto path = dir.file("ticket.png");
  write_file(path, qr_png(make_qr(code), 8));
  EXPECT_EQ(zbar_decode(path), code);
  EXPECT_EQ(zxing_decode(path), code);
}

TEST(Qr, SmallPngStillDecodes) {
  temp_dir dir;
  auto code = make_ticket_code(make_signing_key());
  auto path = dir.file("small.png");
  write_file(path, qr_png(make_qr(code), 3));
  EXPECT_EQ(zbar_decode(path), code);
}

// The SVG draws exactly the symbol's dark modules, offset by the quiet zone.
TEST(Qr, SvgDrawsEveryDarkModuleAndNothingElse) {
  auto q = make_qr(make_ticket_code(make_signing_key()));
  auto svg = qr_svg(q);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + std::to_string(q.size + 8) + " " + std::to_string(q.size + 8) + "\""),
            std::string::npos);
  std::vector<std::uint8_t> drawn(q.modules.size(), 0);
  std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator(); ++it) {
    int x = std::stoi((*it)[1]) - 4, y = std::stoi((*it)[2]) - 4, n = std::stoi((*it)[3]);
    for (int k = 0; k < n; ++k) drawn[q.index(x + k, y)] = 1;
  }
  EXPECT_EQ(drawn, q.modules);
}
