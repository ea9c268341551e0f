#include "server/app/attendance_pdf.hpp"

#include "server/app/document_parts.hpp"
#include "server/app/i18n.hpp"

#include <array>

namespace einlass::server {

using namespace checkin;

namespace {

constexpr double margin = 15, head_height = 36, table_head = 8, row_height = 9, foot = 12;
constexpr double table_width = 210 - (2 * margin);

struct column {
  std::string_view key;
  double width;
};
constexpr std::array<column, 6> columns{{{"attendance.number", 10},
                                         {"attendance.name", 46},
                                         {"attendance.organisation", 44},
                                         {"attendance.type", 30},
                                         {"attendance.checked_in", 18},
                                         {"attendance.signature", 32}}};

std::string label(std::string_view lang, std::string_view key) {
  return std::string(catalog::workspace().text(lang, key));
}

void page_head(attendance_document const& doc, pdf::document& d, int page, int pages) {
  auto const& lang = doc.lang;
  pdf::text_style small{8, false, pdf::align::start, lang, 0.3};
  double y = margin;
  double right = draw_funders(d, margin + table_width, y, 12, doc.funders);
  draw_sender(d, margin, y, right - margin - 4, 12, doc.org, doc.org_logo, small);
  y += 13;
  y += d.text(margin, y, table_width, label(lang, "attendance.heading"), {14, true, pdf::align::start, lang, 0});
  auto title = doc.e.text(text_field::title, lang);
  std::string what(title.text);
  if (doc.session) what += " – " + std::string(doc.e.text(*doc.session, text_field::title, lang).text);
  y += d.text(margin, y, table_width, what, {10, true, pdf::align::start, title.lang, 0, true, 7});
  auto const& c = catalog::builtin();
  std::string facts = c.format_range(lang, doc.e.starts_at, doc.e.ends_at, doc.e.timezone);
  if (auto venue = doc.e.text(text_field::venue, lang).text; !venue.empty()) facts += " · " + std::string(venue);
  d.text(margin, y, table_width, facts, {9, false, pdf::align::start, lang, 0.2, true, 7});
  // The table head.
  y = margin + head_height;
  double x = margin;
  for (auto const& col : columns) {
    d.text(x + 1, y + 1.5, col.width - 2, label(lang, col.key), {8, true, pdf::align::start, lang, 0, true, 6});
    x += col.width;
  }
  d.rule(margin, y + table_head, margin + table_width, y + table_head, 0.8);
  d.text(margin, 297 - margin - 5, table_width,
         c.format(lang, "page.of", {{"page", std::to_string(page)}, {"pages", std::to_string(pages)}}),
         {8, false, pdf::align::end, lang, 0.3});
}

void row(attendance_document const& doc, pdf::document& d, double y, std::int64_t number, attendee_row const* a) {
  auto const& lang = doc.lang;
  std::array<std::string, 6> cells{std::to_string(number), "", "", "", "", ""};
  if (a) {
    cells[1] = a->reg.last_name + ", " + a->reg.first_name;
    cells[2] = a->reg.organisation;
    if (!a->reg.organisation_type.empty())
      cells[3] = catalog::builtin().text(lang, "orgtype." + a->reg.organisation_type);
    if (a->checked_in_at) cells[4] = catalog::builtin().format_time(lang, *a->checked_in_at, doc.e.timezone);
  }
  double x = margin;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (!cells[i].empty())
      d.text(x + 1, y + 2.2, columns[i].width - 2, cells[i], {9, i == 1, pdf::align::start, {}, 0, true, 6});
    x += columns[i].width;
  }
  d.rule(margin, y + row_height, margin + table_width, y + row_height, 0.4);
}

}  // namespace

int attendance_rows_per_page() {
  return static_cast<int>((297 - (2 * margin) - head_height - table_head - foot) / row_height);
}

int attendance_pdf(attendance_document const& doc, pdf::document& d) {
  int per_page = attendance_rows_per_page();
  std::int64_t lines = doc.people + doc.blank_rows;
  int pages = static_cast<int>(std::max<std::int64_t>(1, (lines + per_page - 1) / per_page));
  std::int64_t number = 0;
  for (int page = 1; page <= pages; ++page) {
    if (page > 1) d.next_page();
    page_head(doc, d, page, pages);
    auto rows = number < doc.people ? doc.rows(number, per_page) : std::vector<attendee_row>{};
    double y = margin + head_height + table_head;
    for (int i = 0; i < per_page && number < lines; ++i, y += row_height) {
      ++number;
      auto idx = static_cast<std::size_t>(i);
      row(doc, d, y, number, idx < rows.size() ? &rows[idx] : nullptr);
    }
  }
  return pages;
}

}  // namespace einlass::server
