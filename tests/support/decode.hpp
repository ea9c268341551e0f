#pragma once
// Independent QR decoders (zbarimg from zbar-tools, ZXingReader from zxing-cpp-tools),
// run as separate programs on an image file.
#include <string>

namespace einlass::test {

// The text in the QR code of the PNG at path, as zbarimg reads it ("" when none).
[[nodiscard]] std::string zbar_decode(std::string const& png_path);
// The same, as ZXingReader reads it.
[[nodiscard]] std::string zxing_decode(std::string const& png_path);
// A page of a PDF (the first unless told) as pdftoppm renders it, in RGB.
struct raster {
  int width = 0, height = 0;
  std::string rgb;  // width * height * 3 bytes, row by row
  // How many pixels are close to the colour #rrggbb (each channel within 40).
  [[nodiscard]] int count(unsigned colour) const;
};
[[nodiscard]] raster render_page(std::string const& pdf_path, int dpi, int page = 1);

// Writes bytes to a file.
void write_file(std::string const& path, std::string const& bytes);
// Runs a shell command and returns its standard output.
[[nodiscard]] std::string run(std::string const& command);

}  // namespace einlass::test
