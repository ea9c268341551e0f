#include "checkin/pdf.hpp"

#include "checkin/text.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <stdexcept>

namespace einlass::checkin::pdf {

namespace {

constexpr double points_per_mm = 72.0 / 25.4;
double pt(double mm) { return mm * points_per_mm; }

cairo_status_t write_to_sink(void* closure, unsigned char const* data, unsigned int length) {
  auto* out = static_cast<document::sink*>(closure);
  (*out)(std::string_view(reinterpret_cast<char const*>(data), length));
  return CAIRO_STATUS_SUCCESS;
}

struct png_reader {
  std::string const& bytes;
  std::size_t pos = 0;
};

cairo_status_t read_png(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<png_reader*>(closure);
  if (r->bytes.size() - r->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes.data() + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

bool is_png(std::string_view bytes) { return bytes.starts_with("\x89PNG\r\n\x1a\n"); }

// An image decoded once for the document: a PNG as an image surface, an SVG drawn by librsvg into
// a recording surface (vectors, its words as outlines). cairo embeds a surface once however many
// pages paint it, so a logo on 150 certificates is stored once in the file.
struct picture {
  cairo_surface_t* surface = nullptr;  // null: the bytes are no image we can draw
  double width = 0, height = 0;        // in its own units (pixels)
};

picture load_png(std::string const& bytes) {
  png_reader r{bytes};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(read_png, &r);
  if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS || cairo_image_surface_get_width(img) <= 0 ||
      cairo_image_surface_get_height(img) <= 0) {
    cairo_surface_destroy(img);
    return {};
  }
  return {img, static_cast<double>(cairo_image_surface_get_width(img)),
          static_cast<double>(cairo_image_surface_get_height(img))};
}

// librsvg reads the SVG without a base URL, so it loads nothing from outside its bytes. Its size
// is its width and height if they are lengths, else its viewBox; with neither, or a size no logo
// has (which would break the page's scale), it cannot be placed.
picture load_svg(std::string const& bytes) {
  if (bytes.find("<svg") == std::string::npos) return {};
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<guint8 const*>(bytes.data()), bytes.size(), &error);
  g_clear_error(&error);
  if (!handle) return {};
  picture p;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &p.width, &p.height)) {
    gboolean has_width = FALSE, has_height = FALSE, has_box = FALSE;
    RsvgLength w{}, h{};
    RsvgRectangle box{};
    rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &w, &has_height, &h, &has_box, &box);
    p.width = has_box ? box.width : 0;
    p.height = has_box ? box.height : 0;
  }
  auto sensible = [](double v) { return std::isfinite(v) && v >= 0.01 && v <= 100000; };
  if (sensible(p.width) && sensible(p.height)) {
    cairo_rectangle_t extents{0, 0, p.width, p.height};
    p.surface = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
    cairo_t* cr = cairo_create(p.surface);
    RsvgRectangle viewport{0, 0, p.width, p.height};
    bool drawn = rsvg_handle_render_document(handle, cr, &viewport, &error) != FALSE;
    g_clear_error(&error);
    cairo_destroy(cr);
    if (!drawn || cairo_surface_status(p.surface) != CAIRO_STATUS_SUCCESS) {
      cairo_surface_destroy(p.surface);
      p = {};
    }
  }
  g_object_unref(handle);
  return p.surface ? p : picture{};
}

double fit(picture const& p, double max_width_mm, double max_height_mm) {
  return p.surface ? p.width * std::min(max_width_mm / p.width, max_height_mm / p.height) : 0;
}

}  // namespace

struct document::state {
  sink out;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PangoLayout* layout = nullptr;
  bool finished = false;
  // The images drawn so far, by their bytes (a document has a few: logos, a signature).
  std::map<std::string, picture, std::less<>> pictures;

  picture const& picture_of(std::string_view bytes) {
    auto at = pictures.find(bytes);
    if (at == pictures.end()) {
      std::string key(bytes);
      auto p = is_png(bytes) ? load_png(key) : load_svg(key);
      at = pictures.emplace(std::move(key), p).first;
    }
    return at->second;
  }
  void drop_pictures() {
    for (auto& [bytes, p] : pictures)
      if (p.surface) cairo_surface_destroy(p.surface);
    pictures.clear();
  }
};

document::document(sink out, page_size size, std::string const& title) : s_(std::make_unique<state>()), size_(size) {
  s_->out = std::move(out);
  s_->surface = cairo_pdf_surface_create_for_stream(write_to_sink, &s_->out, pt(size.width_mm), pt(size.height_mm));
  // cairo puts the whole surface in error over a title that is not UTF-8.
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_TITLE, valid_utf8(title).c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_CREATOR, "Einlass");
  s_->cr = cairo_create(s_->surface);
  s_->layout = pango_cairo_create_layout(s_->cr);
  if (cairo_status(s_->cr) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("pdf: cairo cannot start");
}

document::~document() {
  if (!s_) return;
  if (s_->layout) g_object_unref(s_->layout);
  if (s_->cr) cairo_destroy(s_->cr);
  if (s_->surface) cairo_surface_destroy(s_->surface);
  s_->drop_pictures();
}

namespace {

void set_font(PangoLayout* layout, double size_pt, bool bold) {
  PangoFontDescription* font = pango_font_description_from_string("Noto Sans, Noto Sans Arabic");
  pango_font_description_set_absolute_size(font, size_pt * PANGO_SCALE);
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout, font);
  pango_font_description_free(font);
}

// The layout set up for `text` in `style`, `width_mm` wide.
void prepare(PangoLayout* layout, double width_mm, std::string_view text, text_style const& style) {
  set_font(layout, style.size_pt, style.bold);
  pango_layout_set_width(layout, static_cast<int>(pt(width_mm) * PANGO_SCALE));
  pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_auto_dir(layout, TRUE);  // each paragraph's direction from its first strong letter
  pango_layout_set_alignment(layout, style.how == align::centre ? PANGO_ALIGN_CENTER
                                     : style.how == align::end  ? PANGO_ALIGN_RIGHT
                                                                : PANGO_ALIGN_LEFT);
  PangoAttrList* attrs = pango_attr_list_new();
  if (!style.lang.empty()) {
    std::string lang(style.lang);
    pango_attr_list_insert(attrs, pango_attr_language_new(pango_language_from_string(lang.c_str())));
  }
  pango_layout_set_attributes(layout, attrs);
  pango_attr_list_unref(attrs);
  // Pango warns about bytes that are not UTF-8 and then draws nothing more: they become U+FFFD.
  if (is_valid_utf8(text)) {
    pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  } else {
    auto valid = valid_utf8(text);
    pango_layout_set_text(layout, valid.data(), static_cast<int>(valid.size()));
  }
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE);
  if (!style.one_line) return;
  // Shrink to fit one line, then cut with an ellipsis what still does not fit.
  pango_layout_set_width(layout, -1);
  auto box = static_cast<int>(pt(width_mm) * PANGO_SCALE);
  for (double size = style.size_pt;; size = std::max(style.min_pt, size * 0.9)) {
    set_font(layout, size, style.bold);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    if (w <= box || size <= style.min_pt) break;
  }
  pango_layout_set_width(layout, box);
  pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
}

}  // namespace

double document::measure(double width_mm, std::string_view text, text_style const& style) {
  prepare(s_->layout, width_mm, text, style);
  int w = 0, h = 0;
  pango_layout_get_size(s_->layout, &w, &h);
  return (static_cast<double>(h) / PANGO_SCALE) / points_per_mm;
}

double document::text(double x_mm, double y_mm, double width_mm, std::string_view text, text_style const& style) {
  auto height = measure(width_mm, text, style);
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, style.grey, style.grey, style.grey);
  cairo_move_to(s_->cr, pt(x_mm), pt(y_mm));
  pango_cairo_show_layout(s_->cr, s_->layout);
  cairo_restore(s_->cr);
  return height;
}

void document::qr(double x_mm, double y_mm, double side_mm, qr_symbol const& q) {
  if (q.size == 0) return;
  // One pixel per module, scaled without smoothing: a small image instead of thousands of
  // rectangles (a sheet of badges with codes was 10 MB and 5 s for 1,000, now a tenth).
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, q.size, q.size);
  cairo_surface_flush(img);
  auto* data = cairo_image_surface_get_data(img);
  int stride = cairo_image_surface_get_stride(img);
  for (int y = 0; y < q.size; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + (static_cast<std::ptrdiff_t>(y) * stride));
    for (int x = 0; x < q.size; ++x) row[x] = q.dark(x, y) ? 0x000000 : 0xFFFFFF;
  }
  cairo_surface_mark_dirty(img);
  cairo_save(s_->cr);
  cairo_translate(s_->cr, pt(x_mm), pt(y_mm));
  cairo_scale(s_->cr, pt(side_mm) / q.size, pt(side_mm) / q.size);
  cairo_set_source_surface(s_->cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(s_->cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle(s_->cr, 0, 0, q.size, q.size);
  cairo_fill(s_->cr);
  cairo_restore(s_->cr);
  cairo_surface_destroy(img);
}

double document::image_width(double max_width_mm, double max_height_mm, std::string_view bytes) {
  return fit(s_->picture_of(bytes), max_width_mm, max_height_mm);
}

bool document::image(double x_mm, double y_mm, double max_width_mm, double max_height_mm, std::string_view bytes) {
  auto const& p = s_->picture_of(bytes);
  if (!p.surface) return false;
  double scale = pt(fit(p, max_width_mm, max_height_mm)) / p.width;
  cairo_save(s_->cr);
  cairo_translate(s_->cr, pt(x_mm), pt(y_mm));
  cairo_scale(s_->cr, scale, scale);
  cairo_set_source_surface(s_->cr, p.surface, 0, 0);
  cairo_rectangle(s_->cr, 0, 0, p.width, p.height);
  cairo_fill(s_->cr);
  cairo_restore(s_->cr);
  return true;
}

void document::rule(double x1_mm, double y1_mm, double x2_mm, double y2_mm, double width_pt) {
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, 0.55, 0.55, 0.55);
  cairo_set_line_width(s_->cr, width_pt);
  cairo_move_to(s_->cr, pt(x1_mm), pt(y1_mm));
  cairo_line_to(s_->cr, pt(x2_mm), pt(y2_mm));
  cairo_stroke(s_->cr);
  cairo_restore(s_->cr);
}

void document::fill(double x_mm, double y_mm, double width_mm, double height_mm, unsigned rgb) {
  cairo_save(s_->cr);
  cairo_set_source_rgb(s_->cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
  cairo_rectangle(s_->cr, pt(x_mm), pt(y_mm), pt(width_mm), pt(height_mm));
  cairo_fill(s_->cr);
  cairo_restore(s_->cr);
}

void document::next_page() { cairo_show_page(s_->cr); }

void document::finish() {
  if (s_->finished) return;
  s_->finished = true;
  g_object_unref(s_->layout);
  s_->layout = nullptr;
  cairo_destroy(s_->cr);
  s_->cr = nullptr;
  cairo_surface_finish(s_->surface);
  auto status = cairo_surface_status(s_->surface);
  cairo_surface_destroy(s_->surface);
  s_->surface = nullptr;
  s_->drop_pictures();
  if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error("pdf: " + std::string(cairo_status_to_string(status)));
}

std::string to_string(page_size size, std::string const& title, std::function<void(document&)> const& draw) {
  std::string out;
  document d([&out](std::string_view bytes) { out.append(bytes); }, size, title);
  draw(d);
  d.finish();
  return out;
}

}  // namespace einlass::checkin::pdf
