#pragma once
// PDF documents: cairo's PDF surface (fonts embedded as subsets, text selectable) and Pango's
// layout (line breaking, bidirectional text; HarfBuzz shapes Arabic), with Debian's Noto fonts;
// SVG logos through librsvg, which draws them as vectors.
// Everything is measured in millimetres from the page's top left. Pages go to the sink as they
// are finished, so a long document never sits in memory whole.
#include "checkin/qr.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace einlass::checkin::pdf {

struct page_size {
  double width_mm, height_mm;
};
inline constexpr page_size a4{210, 297};
inline constexpr page_size a6{105, 148};

enum class align { start, centre, end };  // start is the right edge in a right-to-left paragraph

struct text_style {
  double size_pt = 11;
  bool bold = false;
  align how = align::start;
  std::string_view lang;  // the text's language, for shaping and line breaking ("ar", "de")
  double grey = 0;        // 0 black .. 1 white
  // One line: the size shrinks (to no less than min_pt) until the text fits the width; what
  // still does not fit ends in an ellipsis. Never runs over its box.
  bool one_line = false;
  double min_pt = 6;
};

class document {
 public:
  using sink = std::function<void(std::string_view bytes)>;
  document(sink out, page_size size, std::string const& title);
  document(document const&) = delete;
  document& operator=(document const&) = delete;
  ~document();

  [[nodiscard]] page_size size() const { return size_; }
  // Lays `text` out in a box `width_mm` wide at (x, y) and draws it; returns the height used.
  double text(double x_mm, double y_mm, double width_mm, std::string_view text, text_style const& style);
  // The height `text` would take, without drawing it.
  [[nodiscard]] double measure(double width_mm, std::string_view text, text_style const& style);
  // A QR code `side_mm` square (without quiet zone), dark modules as filled squares.
  void qr(double x_mm, double y_mm, double side_mm, qr_symbol const& q);
  // An image (a PNG, or an SVG drawn as vectors by librsvg) scaled to fit the box, keeping its
  // proportions, at the box's top left; false if the bytes are neither or cannot be read. Each
  // image is read once a document and stored in it once, however many pages show it.
  bool image(double x_mm, double y_mm, double max_width_mm, double max_height_mm, std::string_view bytes);
  // The width image() would draw the image at in that box, 0 if it draws nothing.
  [[nodiscard]] double image_width(double max_width_mm, double max_height_mm, std::string_view bytes);
  void rule(double x1_mm, double y1_mm, double x2_mm, double y2_mm, double width_pt = 0.5);
  // A filled rectangle in the colour #rrggbb.
  void fill(double x_mm, double y_mm, double width_mm, double height_mm, unsigned rgb);
  void next_page();
  // Ends the document: the last page and the trailer go to the sink.
  void finish();

 private:
  struct state;
  std::unique_ptr<state> s_;
  page_size size_;
};

// A whole document in memory, for small ones (one ticket).
[[nodiscard]] std::string to_string(page_size size, std::string const& title,
                                    std::function<void(document&)> const& draw);

}  // namespace einlass::checkin::pdf
