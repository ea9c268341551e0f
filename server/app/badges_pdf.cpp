#include "server/app/badges_pdf.hpp"

#include "checkin/qr.hpp"
#include "server/app/i18n.hpp"

#include <algorithm>
#include <array>

namespace einlass::server {

using namespace checkin;

namespace {

constexpr std::array<badge_layout, 3> layouts{{{"a4-8", pdf::a4, 90, 54, 2, 4, true},
                                               {"a4-10", pdf::a4, 85, 55, 2, 5, true},
                                               {"label-62", {62, 100}, 62, 100, 1, 1, false}}};

// One colour per type of organisation, told apart in print and by most colour-blind readers
// (the legend names them too).
unsigned colour_of(std::string_view type) {
  constexpr std::array<std::pair<std::string_view, unsigned>, 7> colours{{{"company", 0x1F5FA8},
                                                                          {"chamber", 0x8C564B},
                                                                          {"public_administration", 0x555555},
                                                                          {"job_centre", 0xC0392B},
                                                                          {"education_provider", 0x2E8B3A},
                                                                          {"migrant_organisation", 0x7B4FA8},
                                                                          {"other", 0xE07B00}}};
  for (auto const& [t, c] : colours)
    if (t == type) return c;
  return 0xBBBBBB;
}

void cut_marks(pdf::document& d, double x0, double y0, badge_layout const& l) {
  constexpr double len = 5, gap = 2;
  for (int c = 0; c <= l.columns; ++c) {
    double x = x0 + (c * l.badge_w);
    d.rule(x, y0 - gap - len, x, y0 - gap, 0.3);
    d.rule(x, y0 + (l.rows * l.badge_h) + gap, x, y0 + (l.rows * l.badge_h) + gap + len, 0.3);
  }
  for (int r = 0; r <= l.rows; ++r) {
    double y = y0 + (r * l.badge_h);
    d.rule(x0 - gap - len, y, x0 - gap, y, 0.3);
    d.rule(x0 + (l.columns * l.badge_w) + gap, y, x0 + (l.columns * l.badge_w) + gap + len, y, 0.3);
  }
}

// One line below the cut marks: each colour and the type it stands for.
void legend(pdf::document& d, badge_document const& doc, double y) {
  auto const& c = catalog::builtin();
  double step = (doc.layout.page.width_mm - 20) / static_cast<double>(organisation_types.size());
  double x = 10;
  for (auto type : organisation_types) {
    d.fill(x, y, 3.5, 3.5, colour_of(type));
    auto name = std::string(c.text(doc.lang, "orgtype." + std::string(type)));
    d.text(x + 4.5, y - 0.2, step - 5.5, name, {6.5, false, pdf::align::start, doc.lang, 0.2, true, 4.5});
    x += step;
  }
}

void badge(pdf::document& d, badge_document const& doc, double x, double y, attendee_row const& a) {
  auto const& l = doc.layout;
  double pad = 4, band = l.sheet ? 7 : 9;
  d.fill(x, y, l.badge_w, band, colour_of(a.reg.organisation_type));
  // The code big enough for a door scanner (modules of 0.4 mm and more): beside the text on a
  // sheet's badge, below it on a label.
  double qr_side = !doc.with_qr ? 0 : l.sheet ? 24 : 36;
  double width = l.badge_w - (2 * pad) - (qr_side > 0 && l.sheet ? qr_side + 2 : 0);
  double ty = y + band + (l.sheet ? 2.5 : 5);
  auto line = [&](std::string const& text, double size, bool bold, double grey) {
    if (text.empty()) return;
    ty += d.text(x + pad, ty, width, text, {size, bold, pdf::align::start, {}, grey, true, 5}) + 0.6;
  };
  line(a.reg.first_name, l.sheet ? 22 : 26, true, 0);
  line(a.reg.first_name + " " + a.reg.last_name, l.sheet ? 11 : 12, false, 0);
  line(a.reg.organisation, l.sheet ? 9.5 : 10.5, false, 0.25);
  std::string groups;
  for (auto id : a.reg.sessions)
    if (auto const* s = doc.e.find_session(id))
      groups += (groups.empty() ? "" : " · ") + std::string(doc.e.text(*s, text_field::title, doc.lang).text);
  line(groups, l.sheet ? 8 : 9, false, 0.35);
  if (qr_side > 0)
    d.qr(l.sheet ? x + l.badge_w - pad - qr_side : x + ((l.badge_w - qr_side) / 2), y + l.badge_h - pad - qr_side,
         qr_side, make_qr(a.reg.ticket_code));
}

}  // namespace

std::optional<badge_layout> find_badge_layout(std::string_view name) {
  for (auto const& l : layouts)
    if (l.name == name) return l;
  return std::nullopt;
}

int badges_pdf(badge_document const& doc, pdf::document& d) {
  auto const& l = doc.layout;
  int per_page = l.columns * l.rows;
  double x0 = (l.page.width_mm - (l.columns * l.badge_w)) / 2;
  // Centred, but with room for the cut marks and the legend below the sheet's badges.
  double y0 = (l.page.height_mm - (l.rows * l.badge_h)) / 2;
  if (l.sheet) y0 = std::min(y0, l.page.height_mm - (l.rows * l.badge_h) - 14);
  int pages = 0;
  for (std::int64_t offset = 0; offset < doc.people || pages == 0; offset += per_page) {
    if (pages > 0) d.next_page();
    ++pages;
    auto rows = offset < doc.people ? doc.rows(offset, per_page) : std::vector<attendee_row>{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      auto col = static_cast<int>(i) % l.columns, row = static_cast<int>(i) / l.columns;
      badge(d, doc, x0 + (col * l.badge_w), y0 + (row * l.badge_h), rows[i]);
    }
    if (l.sheet) {
      cut_marks(d, x0, y0, l);
      legend(d, doc, y0 + (l.rows * l.badge_h) + 8.5);
    }
    if (rows.empty()) break;
  }
  return pages;
}

}  // namespace einlass::server
