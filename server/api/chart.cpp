#include "server/api/chart.hpp"

#include "server/app/i18n.hpp"
#include "server/pages/html.hpp"

#include <algorithm>
#include <cstdio>

namespace einlass::server {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string clock_label(checkin::sys_seconds t, std::string_view zone) {
  auto l = checkin::to_local(t, zone);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", l.hour, l.minute);
  return buf;
}

// 1, 2, 5, 10, 20, 50, ...: a step that gives at most five grid lines.
std::int64_t nice_step(std::int64_t max) {
  std::int64_t step = 1;
  for (;;) {
    for (std::int64_t m : {1, 2, 5})
      if (step * m * 5 >= max) return step * m;
    step *= 10;
  }
}

}  // namespace

std::string arrivals_svg(checkin::event_stats const& s, std::string_view zone, std::string_view lang) {
  auto const& c = catalog::workspace();
  constexpr double width = 720, height = 260, left = 44, right = 12, top = 16, bottom = 36;
  std::string out =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 260\" role=\"img\" font-family=\"system-ui, "
      "sans-serif\" "
      "font-size=\"12\"><title>" +
      esc(c.text(lang, "dashboard.arrivals")) + "</title>";
  if (s.arrivals.empty()) {
    out += "<text x=\"360\" y=\"130\" text-anchor=\"middle\" fill=\"#555\">" +
           esc(c.text(lang, "dashboard.no_arrivals")) + "</text></svg>";
    return out;
  }
  std::int64_t max = 1;
  for (auto const& b : s.arrivals) max = std::max(max, b.count);
  auto step = nice_step(max);
  auto top_value = ((max + step - 1) / step) * step;
  double plot_w = width - left - right, plot_h = height - top - bottom;
  auto y_of = [&](double v) { return top + plot_h - plot_h * v / static_cast<double>(top_value); };

  for (std::int64_t v = 0; v <= top_value; v += step) {
    auto y = num(y_of(static_cast<double>(v)));
    out += "<line x1=\"" + num(left) + "\" x2=\"" + num(width - right) + "\" y1=\"" + y + "\" y2=\"" + y +
           "\" stroke=\"#ddd\"/><text x=\"" + num(left - 6) + "\" y=\"" + y +
           "\" text-anchor=\"end\" dominant-baseline=\"middle\" fill=\"#555\">" + std::to_string(v) + "</text>";
  }
  auto n = s.arrivals.size();
  double slot = plot_w / static_cast<double>(n);
  double bar = std::clamp(slot * 0.8, 1.0, 48.0);
  std::size_t label_every = std::max<std::size_t>(1, (n + 9) / 10);
  for (std::size_t i = 0; i < n; ++i) {
    auto const& b = s.arrivals[i];
    double x = left + slot * static_cast<double>(i) + (slot - bar) / 2;
    double y = y_of(static_cast<double>(b.count));
    auto when = clock_label(b.at, zone);
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(bar) + "\" height=\"" +
           num(top + plot_h - y) + "\" fill=\"#1d5fa7\"><title>" + when + ": " + std::to_string(b.count) +
           "</title></rect>";
    if (i % label_every == 0)
      out += "<text x=\"" + num(left + slot * (static_cast<double>(i) + 0.5)) + "\" y=\"" + num(height - bottom + 16) +
             "\" text-anchor=\"middle\" fill=\"#555\">" + when + "</text>";
  }
  out += "</svg>";
  return out;
}

}  // namespace einlass::server
