#include "checkin/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>
#include <stdexcept>

namespace einlass::checkin {

namespace {
constexpr int quiet = 4;
}

qr_symbol make_qr(std::string_view text) {
  std::string s(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1),
                                                       &QRcode_free);
  if (!code) throw std::runtime_error("text does not fit a QR code");
  qr_symbol q;
  q.version = code->version;
  q.size = code->width;
  q.modules.resize(static_cast<std::size_t>(q.size) * static_cast<std::size_t>(q.size));
  for (std::size_t i = 0; i < q.modules.size(); ++i) q.modules[i] = code->data[i] & 1;
  return q;
}

std::string qr_svg(qr_symbol const& q) {
  int const n = q.size + 2 * quiet;
  std::string out;
  out.reserve(q.modules.size() * 6);
  out += R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 )" + std::to_string(n) + ' ' + std::to_string(n) +
         R"(" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=")";
  // One horizontal run per subpath keeps the file small.
  for (int y = 0; y < q.size; ++y) {
    for (int x = 0; x < q.size;) {
      if (!q.dark(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < q.size && q.dark(x + run, y)) ++run;
      out += 'M' + std::to_string(x + quiet) + ' ' + std::to_string(y + quiet) + 'h' + std::to_string(run) + "v1h-" +
             std::to_string(run) + 'z';
      x += run;
    }
  }
  out += "\"/></svg>";
  return out;
}

std::string qr_png(qr_symbol const& q, int scale) {
  int const px = (q.size + 2 * quiet) * scale;
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw std::runtime_error("libpng: out of memory");
  }
  std::vector<png_byte> row(static_cast<std::size_t>(px));
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng: encoding failed");
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, png_size_t len) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char const*>(data), len);
      },
      nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(px), static_cast<png_uint_32>(px), 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < px; ++y) {
    int my = y / scale - quiet;
    for (int x = 0; x < px; ++x) {
      int mx = x / scale - quiet;
      bool dark = mx >= 0 && my >= 0 && mx < q.size && my < q.size && q.dark(mx, my);
      row[static_cast<std::size_t>(x)] = dark ? 0 : 255;
    }
    png_write_row(png, row.data());
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

}  // namespace einlass::checkin
