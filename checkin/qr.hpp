#pragma once
// QR codes for tickets and pairing links: libqrencode for the symbol, our own SVG
// writer, libpng for PNG.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

struct qr_symbol {
  int version = 0;
  int size = 0;                       // modules per side, without the quiet zone
  std::vector<std::uint8_t> modules;  // size*size, 1 = dark
  [[nodiscard]] std::size_t index(int x, int y) const {
    return (static_cast<std::size_t>(y) * static_cast<std::size_t>(size)) + static_cast<std::size_t>(x);
  }
  [[nodiscard]] bool dark(int x, int y) const { return modules[index(x, y)] != 0; }
};

// Error correction level M. Throws std::runtime_error if the text does not fit.
[[nodiscard]] qr_symbol make_qr(std::string_view text);

// A standalone SVG with a 4-module quiet zone, scaling crisply to any size.
[[nodiscard]] std::string qr_svg(qr_symbol const& q);
// An 8-bit greyscale PNG, `scale` pixels per module, 4-module quiet zone.
[[nodiscard]] std::string qr_png(qr_symbol const& q, int scale = 8);

}  // namespace einlass::checkin
