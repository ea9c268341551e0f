#include "tests/support/decode.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace einlass::test {

std::string run(std::string const& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(command.c_str(), "r"), &::pclose);
  if (!p) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

namespace {
std::string strip(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}
}  // namespace

std::string zbar_decode(std::string const& png_path) {
  return strip(run("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '" + png_path + "' 2>/dev/null"));
}

std::string zxing_decode(std::string const& png_path) {
  return strip(run("ZXingReader -format QRCode -bytes '" + png_path + "' 2>/dev/null"));
}

int raster::count(unsigned colour) const {
  auto near = [](unsigned char a, unsigned b) {
    return std::abs(static_cast<int>(a) - static_cast<int>(b & 0xFF)) <= 40;
  };
  int n = 0;
  for (std::size_t i = 0; i + 2 < rgb.size(); i += 3)
    if (near(rgb[i], colour >> 16) && near(rgb[i + 1], colour >> 8) && near(rgb[i + 2], colour)) ++n;
  return n;
}

raster render_page(std::string const& pdf_path, int dpi, int page) {
  // P6: "P6", width, height and 255 as text, each after white space, then the pixels.
  auto ppm = run("pdftoppm -f " + std::to_string(page) + " -l " + std::to_string(page) + " -singlefile -r " +
                 std::to_string(dpi) + " '" + pdf_path + "' 2>/dev/null");
  std::istringstream in(ppm);
  std::string magic;
  raster r;
  int depth = 0;
  in >> magic >> r.width >> r.height >> depth;
  if (magic != "P6" || depth != 255 || r.width <= 0 || r.height <= 0) throw std::runtime_error("pdftoppm: no page");
  in.get();
  r.rgb = ppm.substr(static_cast<std::size_t>(in.tellg()));
  if (r.rgb.size() != static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height) * 3)
    throw std::runtime_error("pdftoppm: short page");
  return r;
}

void write_file(std::string const& path, std::string const& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace einlass::test
