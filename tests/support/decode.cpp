#include "tests/support/decode.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
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

void write_file(std::string const& path, std::string const& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace einlass::test
