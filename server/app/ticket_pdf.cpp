#include "server/app/ticket_pdf.hpp"

#include "checkin/qr.hpp"
#include "server/app/i18n.hpp"

namespace einlass::server {

using namespace checkin;

std::string ticket_pdf(ticket_document const& t, pdf::page_size size) {
  auto const& c = catalog::builtin();
  auto const& lang = t.lang;
  bool small = size.width_mm < 150;
  double margin = small ? 8 : 20;
  double width = size.width_mm - (2 * margin);
  auto title = t.e.text(text_field::title, lang);
  auto label = [&](std::string_view key) { return std::string(c.text(lang, key)); };
  pdf::text_style caption{small ? 7.5 : 9, false, pdf::align::start, lang, 0.3};
  pdf::text_style body{small ? 9.5 : 11, false, pdf::align::start, lang, 0};

  return pdf::to_string(size, label("ticket.title") + " – " + std::string(title.text), [&](pdf::document& d) {
    double y = margin;
    // Who invites: the logo (PNG or SVG) and the name.
    if (t.org) {
      double logo_h = small ? 8 : 14;
      if (t.org_logo && d.image(margin, y, width / 2, logo_h, t.org_logo->bytes)) y += logo_h + 2;
      y += d.text(margin, y, width, t.org->name, caption) + (small ? 2 : 4);
    }
    y += d.text(margin, y, width, label("ticket.title"), caption);
    y += d.text(margin, y, width, title.text, {small ? 13.0 : 18.0, true, pdf::align::start, title.lang, 0}) +
         (small ? 3 : 6);
    // The code, large and centred, with its quiet zone kept white around it.
    double side = small ? 52 : 75;
    d.qr((size.width_mm - side) / 2, y + (small ? 3 : 5), side, make_qr(t.r.ticket_code));
    y += side + (small ? 8 : 12);
    y += d.text(margin, y, width, label("ticket.show_at_entrance"),
                {body.size_pt, false, pdf::align::centre, lang, 0.3}) +
         (small ? 3 : 6);
    y += d.text(margin, y, width, t.r.first_name + " " + t.r.last_name,
                {small ? 13.0 : 16.0, true, pdf::align::start, {}, 0});
    if (!t.r.organisation.empty())
      y += d.text(margin, y, width, t.r.organisation, {body.size_pt, false, pdf::align::start, {}, 0.3});
    y += small ? 3 : 6;
    auto fact = [&](std::string_view key, std::string const& value, std::string_view value_lang) {
      if (value.empty()) return;
      y += d.text(margin, y, width, label(key), caption);
      y += d.text(margin, y, width, value, {body.size_pt, false, pdf::align::start, value_lang, 0}) + (small ? 1.5 : 3);
    };
    fact("event.when", c.format_range(lang, t.e.starts_at, t.e.ends_at, t.e.timezone), lang);
    auto venue = t.e.text(text_field::venue, lang);
    auto address = t.e.text(text_field::address, lang);
    std::string where(venue.text);
    if (!address.text.empty()) where += (where.empty() ? "" : "\n") + std::string(address.text);
    fact("event.where", where, venue.text.empty() ? address.lang : venue.lang);
    std::string sessions;
    std::string_view sessions_lang = lang;
    for (auto id : t.r.sessions)
      if (auto const* s = t.e.find_session(id)) {
        auto shown = t.e.text(*s, text_field::title, lang);
        sessions += (sessions.empty() ? "" : "\n") + std::string(shown.text);
        sessions_lang = shown.lang;
      }
    fact("ticket.sessions", sessions, sessions_lang);
    if (y < size.height_mm - margin - 6)
      d.text(margin, size.height_mm - margin - (small ? 4 : 5), width, t.ticket_url,
             {small ? 5.5 : 7, false, pdf::align::start, {}, 0.4});
  });
}

}  // namespace einlass::server
