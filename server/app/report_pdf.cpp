#include "server/app/report_pdf.hpp"

#include "server/app/document_parts.hpp"
#include "server/app/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace einlass::server {

using namespace checkin;

namespace {

constexpr double report_margin = 18, report_width = 210 - (2 * report_margin), report_bottom = 297 - report_margin - 8;
constexpr unsigned report_dark = 0x0b5394, report_light = 0xc9d9ea;

// Where the next thing goes; a new page when it would not fit.
struct cursor {
  report_document const& doc;
  pdf::document& d;
  int pages_total;
  int page = 1;
  double y = report_margin;

  [[nodiscard]] std::string t(std::string_view key) const {
    return std::string(catalog::workspace().text(doc.lang, key));
  }
  [[nodiscard]] pdf::text_style style(double size, bool bold = false, double grey = 0) const {
    return {size, bold, pdf::align::start, doc.lang, grey};
  }
  void foot() {
    auto text = catalog::builtin().format(doc.lang, "page.of",
                                          {{"page", std::to_string(page)}, {"pages", std::to_string(pages_total)}});
    d.text(report_margin, 297 - report_margin - 4, report_width, text, {8, false, pdf::align::end, doc.lang, 0.3});
    d.text(report_margin, 297 - report_margin - 4, report_width * 0.7,
           std::string(doc.e.text(text_field::title, doc.lang).text),
           {8, false, pdf::align::start, doc.lang, 0.3, true, 6});
  }
  void need(double height) {
    if (y + height <= report_bottom) return;
    foot();
    d.next_page();
    ++page;
    y = report_margin;
  }
  // A section's heading, on a new page unless `keep` mm of what follows fit under it.
  void heading(std::string_view key, double keep = 12) {
    need(keep + 12);
    y += 5;
    y += d.text(report_margin, y, report_width, t(key), style(13, true)) + 2;
    d.rule(report_margin, y, report_margin + report_width, y, 0.6);
    y += 3;
  }
};

std::string percent(double share, std::string_view lang) {
  auto n = std::to_string(std::lround(share * 100));
  return lang == "de" ? n + " %" : n + "%";
}

std::string decimal(double v, std::string_view lang) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s(buf);
  if (lang == "de") std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

void facts(cursor& c) {
  auto const& doc = c.doc;
  auto const& s = doc.stats;
  auto& d = c.d;
  auto const& cat = catalog::builtin();
  double right = draw_funders(d, report_margin + report_width, c.y, 14, doc.funders);
  double head =
      draw_sender(d, report_margin, c.y, right - report_margin - 4, 14, doc.org, doc.org_logo, c.style(9, false, 0.3));
  c.y += std::max(head, doc.funders.empty() ? 0.0 : 14.0) + 8;
  c.y += d.text(report_margin, c.y, report_width, c.t("report.title"), c.style(20, true)) + 2;
  auto title = doc.e.text(text_field::title, doc.lang);
  c.y += d.text(report_margin, c.y, report_width, title.text, {14, true, pdf::align::start, title.lang, 0}) + 2;
  std::string when = cat.format_range(doc.lang, doc.e.starts_at, doc.e.ends_at, doc.e.timezone);
  if (auto venue = doc.e.text(text_field::venue, doc.lang).text; !venue.empty()) when += " · " + std::string(venue);
  c.y += d.text(report_margin, c.y, report_width, when, c.style(10, false, 0.2)) + 1;
  c.y += d.text(report_margin, c.y, report_width,
                catalog::workspace().format(doc.lang, "report.made",
                                            {{"date", cat.format_date(doc.lang, doc.made_at, doc.e.timezone)}}),
                c.style(8, false, 0.4));
  c.heading("report.figures");
  std::vector<std::pair<std::string, std::string>> rows{
      {c.t("report.registered"), std::to_string(s.registered)},
      {c.t("report.confirmed"), std::to_string(s.confirmed)},
      {c.t("report.waitlisted"), std::to_string(s.waitlisted)},
      {c.t("report.cancelled"), std::to_string(s.cancelled)},
      {c.t("report.came"), std::to_string(s.checked_in)},
      {c.t("report.no_shows"), std::to_string(s.no_shows) + " (" + percent(s.no_show_rate, doc.lang) + ")"}};
  if (s.capacity) rows.emplace_back(c.t("report.capacity"), std::to_string(*s.capacity));
  for (auto const& [label, value] : rows) {
    d.text(report_margin, c.y, 90, label, c.style(10));
    d.text(report_margin + 90, c.y, 30, value, {10, true, pdf::align::end, doc.lang, 0});
    c.y += 6;
  }
}

// A table whose last column is a bar: the report_light part the confirmed, the report_dark part those who came.
struct bar_row {
  std::string label, label_lang;
  std::vector<std::string> numbers;
  std::int64_t confirmed = 0, came = 0;
};

void bar_table(cursor& c, std::vector<std::string> const& head, std::vector<bar_row> const& rows) {
  auto& d = c.d;
  constexpr double label_w = 62, number_w = 22, row_h = 7;
  double bar_x = report_margin + label_w + (number_w * static_cast<double>(head.size() - 1)) + 4;
  double bar_w = report_margin + report_width - bar_x;
  std::int64_t most = 1;
  for (auto const& r : rows) most = std::max({most, r.confirmed, r.came});
  c.need(row_h * 2);
  double x = report_margin;
  for (std::size_t i = 0; i < head.size(); ++i) {
    double w = i == 0 ? label_w : number_w;
    d.text(x, c.y, w, head[i], {8, true, i == 0 ? pdf::align::start : pdf::align::end, c.doc.lang, 0.3, true, 6});
    x += w;
  }
  c.y += row_h;
  for (auto const& r : rows) {
    c.need(row_h);
    d.text(report_margin, c.y, label_w - 2, r.label, {9, false, pdf::align::start, r.label_lang, 0, true, 6});
    x = report_margin + label_w;
    for (auto const& n : r.numbers) {
      d.text(x, c.y, number_w, n, {9, false, pdf::align::end, c.doc.lang, 0});
      x += number_w;
    }
    auto share = [&](std::int64_t n) { return bar_w * static_cast<double>(n) / static_cast<double>(most); };
    if (r.confirmed > 0) d.fill(bar_x, c.y + 0.8, share(r.confirmed), 4, report_light);
    if (r.came > 0) d.fill(bar_x, c.y + 0.8, share(r.came), 4, report_dark);
    c.y += row_h;
  }
  c.need(6);
  d.fill(bar_x, c.y + 1, 4, 3, report_dark);
  d.text(bar_x + 5, c.y + 0.3, 30, c.t("report.came"), c.style(7, false, 0.3));
  d.fill(bar_x + 36, c.y + 1, 4, 3, report_light);
  d.text(bar_x + 41, c.y + 0.3, 40, c.t("report.confirmed"), c.style(7, false, 0.3));
  c.y += 6;
}

void by_type(cursor& c) {
  c.heading("report.by_type");
  std::vector<bar_row> rows;
  for (auto const& r : c.doc.stats.by_organisation_type) {
    if (r.confirmed == 0 && r.checked_in == 0) continue;
    rows.push_back({c.t(r.type.empty() ? "otype.none" : "otype." + r.type),
                    c.doc.lang,
                    {std::to_string(r.confirmed), std::to_string(r.checked_in)},
                    r.confirmed,
                    r.checked_in});
  }
  if (rows.empty()) {
    c.y += c.d.text(report_margin, c.y, report_width, c.t("report.nothing"), c.style(9, false, 0.3));
    return;
  }
  bar_table(c, {c.t("report.type"), c.t("report.confirmed"), c.t("report.came")}, rows);
}

void by_group(cursor& c) {
  if (c.doc.stats.by_session.empty()) return;
  c.heading("report.by_group");
  std::vector<bar_row> rows;
  for (auto const& s : c.doc.stats.by_session) {
    auto const* info = c.doc.e.find_session(s.id);
    auto title = info ? c.doc.e.text(*info, text_field::title, c.doc.lang) : shown{s.title, c.doc.e.language};
    rows.push_back(
        {std::string(title.text),
         std::string(title.lang),
         {s.capacity ? std::to_string(*s.capacity) : "–", std::to_string(s.confirmed), std::to_string(s.present)},
         s.confirmed,
         s.present});
  }
  bar_table(c, {c.t("report.group"), c.t("report.seats"), c.t("report.confirmed"), c.t("report.came")}, rows);
}

void arrivals(cursor& c) {
  auto const& all = c.doc.stats.arrivals;
  auto first = std::find_if(all.begin(), all.end(), [](auto const& b) { return b.count > 0; });
  constexpr double chart_h = 45;
  c.heading("report.arrivals", chart_h + 16);
  if (first == all.end()) {
    c.y += c.d.text(report_margin, c.y, report_width, c.t("report.nothing"), c.style(9, false, 0.3));
    return;
  }
  auto last = std::find_if(all.rbegin(), all.rend(), [](auto const& b) { return b.count > 0; }).base();
  std::vector<event_stats::bucket> shown(first, last);
  std::int64_t most = 1;
  for (auto const& b : shown) most = std::max(most, b.count);
  c.need(chart_h + 16);
  auto& d = c.d;
  auto const& cat = catalog::builtin();
  double slot = std::min(12.0, (report_width - 12) / static_cast<double>(shown.size()));
  double base = c.y + chart_h;
  d.text(report_margin, c.y - 1, 11, std::to_string(most), {7, false, pdf::align::end, c.doc.lang, 0.4});
  d.rule(report_margin + 12, base, report_margin + 12 + (slot * static_cast<double>(shown.size())), base, 0.5);
  // A time under every few bars, as many as fit.
  auto every = static_cast<std::size_t>(std::max(1.0, std::ceil(14 / slot)));
  for (std::size_t i = 0; i < shown.size(); ++i) {
    double x = report_margin + 12 + (slot * static_cast<double>(i));
    double h = chart_h * static_cast<double>(shown[i].count) / static_cast<double>(most);
    if (h > 0) d.fill(x + (slot * 0.1), base - h, slot * 0.8, h, report_dark);
    if (i % every == 0)
      d.text(x, base + 1, 16, cat.format_time(c.doc.lang, shown[i].at, c.doc.e.timezone),
             {6.5, false, pdf::align::start, c.doc.lang, 0.3, true, 5});
  }
  c.y = base + 7;
  c.y += d.text(report_margin, c.y, report_width,
                catalog::workspace().format(c.doc.lang, "report.arrivals_note",
                                            {{"minutes", std::to_string(c.doc.stats.bucket_minutes)}}),
                c.style(8, false, 0.4));
}

void feedback(cursor& c) {
  auto const& f = c.doc.feedback;
  c.heading("report.feedback");
  auto& d = c.d;
  auto const& w = catalog::workspace();
  c.y += d.text(report_margin, c.y, report_width, w.plural(c.doc.lang, "report.answers", f.answers), c.style(10)) + 3;
  if (f.answers == 0) return;
  for (std::size_t i = 0; i < feedback_questions.size(); ++i) {
    auto const& q = f.questions[i];
    c.need(14);
    d.text(report_margin, c.y, 95, c.t("feedback.q." + std::string(feedback_questions[i])), c.style(9));
    std::string mean = q.rated ? w.format(c.doc.lang, "report.mean",
                                          {{"mean", decimal(q.mean, c.doc.lang)}, {"n", std::to_string(q.rated)}})
                               : "–";
    d.text(report_margin + 95, c.y, 35, mean, {9, true, pdf::align::end, c.doc.lang, 0});
    // How many gave 1 .. 5, a small bar each.
    std::int64_t most = 1;
    for (auto n : q.counts) most = std::max(most, n);
    for (std::size_t k = 0; k < 5; ++k) {
      double x = report_margin + 134 + (static_cast<double>(k) * 8);
      double h = 7 * static_cast<double>(q.counts[k]) / static_cast<double>(most);
      if (h > 0) d.fill(x, c.y + 7 - h, 6, h, report_dark);
      d.text(x, c.y + 7.5, 6, std::to_string(k + 1), {6, false, pdf::align::centre, c.doc.lang, 0.4});
    }
    c.y += 13;
  }
  if (f.comments.empty()) return;
  c.need(14);
  c.y += d.text(report_margin, c.y, report_width, c.t("report.comments"), c.style(10, true)) + 2;
  for (auto const& text : f.comments) {
    pdf::text_style body{9, false, pdf::align::start, {}, 0};
    double h = d.measure(report_width - 5, text, body);
    c.need(std::min(h, report_bottom - report_margin) + 2);
    d.text(report_margin, c.y, 4, "–", body);
    c.y += d.text(report_margin + 5, c.y, report_width - 5, text, body) + 2;
  }
}

void draw(cursor& c) {
  facts(c);
  by_type(c);
  by_group(c);
  arrivals(c);
  feedback(c);
  c.foot();
}

}  // namespace

int report_bucket_minutes(event const& e) { return e.ends_at - e.starts_at <= std::chrono::hours(6) ? 15 : 60; }

int report_pdf(report_document const& doc, pdf::document& d) {
  // "Seite 2 von 3" needs the count first: the report is small, so it is laid out twice.
  int pages = 0;
  {
    pdf::document dry([](std::string_view) {}, pdf::a4, "");
    cursor c{doc, dry, 0};
    draw(c);
    pages = c.page;
    dry.finish();
  }
  cursor c{doc, d, pages};
  draw(c);
  return c.page;
}

}  // namespace einlass::server
