#include "server/app/document_parts.hpp"

#include "server/app/i18n.hpp"

#include <algorithm>
#include <chrono>

namespace einlass::server {

using namespace checkin;

double draw_sender(pdf::document& d, double x, double y, double width, double logo_height, organisation const* org,
                   std::optional<uploaded_image> const& org_logo, pdf::text_style const& name_style) {
  if (!org) return 0;
  double name_x = x;
  bool drawn = org_logo && d.image(x, y, std::min(40.0, width / 2), logo_height, org_logo->bytes);
  if (drawn) name_x += d.image_width(std::min(40.0, width / 2), logo_height, org_logo->bytes) + 4;
  double h = d.text(name_x, y + (drawn ? 1 : 0), width - (name_x - x), org->name, name_style);
  return std::max(drawn ? logo_height : 0.0, h);
}

double draw_funders(pdf::document& d, double right, double y, double height, std::vector<std::string> const& logos) {
  double x = right;
  for (std::size_t i = logos.size(); i-- > 0;) {  // from the right
    auto const& logo = logos[i];
    double w = d.image_width(40, height, logo);
    if (w <= 0) continue;
    x -= w;
    d.image(x, y, w, height, logo);
    x -= 4;
  }
  return x < right ? x + 4 : right;
}

std::string event_days(event const& e, std::string_view lang) {
  auto const& c = catalog::builtin();
  auto first = c.format_date(lang, e.starts_at, e.timezone), last = c.format_date(lang, e.ends_at, e.timezone);
  return first == last ? first : first + " – " + last;
}

std::string event_duration(event const& e, std::string_view lang) {
  auto const& c = catalog::builtin();
  constexpr auto day = std::int64_t{24} * 60;
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(e.ends_at - e.starts_at).count();
  if (minutes >= day) {
    auto days = (minutes + day - 1) / day;
    return c.plural(lang, "certificate.days", days);
  }
  // Whole and half hours: "3 Stunden", "2,5 Stunden".
  auto halves = std::max<std::int64_t>(1, (minutes + 15) / 30);
  if (halves % 2 == 0) return c.plural(lang, "certificate.hours", halves / 2);
  std::string n = std::to_string(halves / 2) + (lang == "en" ? "." : ",") + "5";
  return c.format(lang, "certificate.hours.other", {{"n", n}});
}

}  // namespace einlass::server
