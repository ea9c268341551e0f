#include "server/app/certificate_pdf.hpp"

#include "checkin/qr.hpp"
#include "server/app/document_parts.hpp"
#include "server/app/i18n.hpp"

#include <algorithm>

namespace einlass::server {

using namespace checkin;

namespace {

constexpr double cert_margin = 22, cert_width = 210 - (2 * cert_margin);

// The holder's working groups in `lang`, joined.
std::string groups_of(event const& e, registration const& r, std::string const& lang) {
  std::string out;
  for (auto id : r.sessions)
    if (auto const* s = e.find_session(id))
      out += (out.empty() ? "" : ", ") + std::string(e.text(*s, text_field::title, lang).text);
  return out;
}

// {name} and the others replaced; an unknown one stays as written.
std::string fill(std::string_view text, std::vector<std::pair<std::string_view, std::string>> const& values) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto close = text[i] == '{' ? text.find('}', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      auto name = text.substr(i + 1, close - i - 1);
      auto v = std::find_if(values.begin(), values.end(), [&](auto const& p) { return p.first == name; });
      if (v != values.end()) {
        out += v->second;
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

void page(certificate_document const& doc, certificate_entry const& entry, pdf::document& d) {
  auto const& c = catalog::builtin();
  auto const& e = doc.e;
  auto const& r = entry.reg;
  auto lang = certificate_language(e, r, doc.lang);
  auto t = [&](std::string_view key) { return std::string(c.text(lang, key)); };
  double y = cert_margin;
  y += draw_sender(d, cert_margin, y, cert_width, 16, doc.org, doc.org_logo, {9, false, pdf::align::start, lang, 0.3}) +
       22;
  y += d.text(cert_margin, y, cert_width, t("certificate.title"), {26, true, pdf::align::centre, lang, 0.1}) + 14;
  y += d.text(cert_margin, y, cert_width, r.first_name + " " + r.last_name,
              {22, true, pdf::align::centre, {}, 0, true, 12}) +
       2;
  if (!r.organisation.empty())
    y += d.text(cert_margin, y, cert_width, r.organisation, {11, false, pdf::align::centre, {}, 0.3, true, 8});
  y += 12;
  auto text = certificate_text(e, r, lang);
  y += d.text(cert_margin, y, cert_width, text, {13, false, pdf::align::centre, lang, 0}) + 8;
  // The working groups, unless the organiser's text names them.
  auto own = e.papers.text_for(lang, e.language);
  if (auto groups = groups_of(e, r, lang); !groups.empty() && own.text.find("{groups}") == std::string_view::npos) {
    y += d.text(cert_margin, y, cert_width, t("certificate.groups"), {10, false, pdf::align::centre, lang, 0.35}) + 1;
    y += d.text(cert_margin, y, cert_width, groups, {11, false, pdf::align::centre, lang, 0});
  }
  // The signature block at the start of the line (left, right in Arabic), the verification code
  // with its QR code at the end.
  bool rtl = is_rtl(lang);
  double foot_y = 297 - cert_margin - 20;
  double sign_y = foot_y - 42, sign_w = 80, qr_side = 24;
  double sign_x = rtl ? cert_margin + cert_width - sign_w : cert_margin;
  double qr_x = rtl ? cert_margin : cert_margin + cert_width - qr_side;
  auto to_line = rtl ? pdf::align::end : pdf::align::start;  // Latin names toward the line's start
  d.text(sign_x, sign_y - 8, sign_w, event_days(e, lang), {10, false, pdf::align::start, lang, 0});
  if (doc.signature) {
    double w = d.image_width(sign_w, 18, doc.signature->bytes);
    d.image(rtl ? sign_x + sign_w - w : sign_x, sign_y, sign_w, 18, doc.signature->bytes);
  }
  d.rule(sign_x, sign_y + 20, sign_x + sign_w, sign_y + 20, 0.6);
  double sy = sign_y + 21.5;
  if (!e.papers.signer.empty()) sy += d.text(sign_x, sy, sign_w, e.papers.signer, {10, true, to_line, {}, 0, true, 7});
  if (!e.papers.signer_role.empty())
    d.text(sign_x, sy, sign_w, e.papers.signer_role, {9, false, to_line, {}, 0.3, true, 6});
  auto url = doc.base_url + "/v/" + entry.code;
  d.qr(qr_x, sign_y - 6, qr_side, make_qr(url));
  // Between the two, aligned toward the QR code.
  double tx = rtl ? qr_x + qr_side + 3 : cert_margin + sign_w + 6;
  double tw = rtl ? sign_x - 6 - tx : qr_x - 3 - tx;
  auto to_qr = rtl ? pdf::align::start : pdf::align::end;  // for Latin text (code, address)
  d.text(tx, sign_y - 6, tw, t("certificate.verify"), {8, false, pdf::align::end, lang, 0.3});
  d.text(tx, sign_y + 2, tw, entry.code, {10, true, to_qr, {}, 0, true, 7});
  d.text(tx, sign_y + 8, tw, url, {7, false, to_qr, {}, 0.3, true, 5});
  // Funded by: the caption over the logos, at the foot's right (either direction).
  if (!doc.funders.empty()) {
    d.text(cert_margin, foot_y + 2, cert_width, t("certificate.funded_by"),
           {8, false, rtl ? pdf::align::start : pdf::align::end, lang, 0.35});
    draw_funders(d, cert_margin + cert_width, foot_y + 7, 13, doc.funders);
  }
}

}  // namespace

std::string certificate_language(event const& e, registration const& r, std::string_view chosen) {
  std::string lang(chosen.empty() ? std::string_view(r.language) : chosen);
  if (!is_supported_language(lang)) lang = e.language;
  // One language on a page: where the organiser wrote their own text, but not in this language,
  // the certificate is in the event's.
  if (!e.papers.certificate_text.empty() && !e.papers.certificate_text.contains(lang)) lang = e.language;
  return lang;
}

std::string certificate_text(event const& e, registration const& r, std::string const& lang) {
  auto const& c = catalog::builtin();
  auto own = e.papers.text_for(lang, e.language);
  std::string tmpl = own.text.empty() ? std::string(c.text(lang, "certificate.text")) : std::string(own.text);
  auto title = e.text(text_field::title, lang);
  return fill(tmpl, {{"name", r.first_name + " " + r.last_name},
                     {"event", std::string(title.text)},
                     {"date", event_days(e, lang)},
                     {"duration", event_duration(e, lang)},
                     {"groups", groups_of(e, r, lang)},
                     {"organisation", r.organisation}});
}

int certificates_pdf(certificate_document const& doc, pdf::document& d) {
  constexpr int batch = 50;
  int pages = 0;
  for (std::int64_t offset = 0; offset < doc.people; offset += batch) {
    auto rows = doc.rows(offset, batch);
    if (rows.empty()) break;
    for (auto const& entry : rows) {
      if (pages > 0) d.next_page();
      page(doc, entry, d);
      ++pages;
    }
  }
  if (pages == 0)
    d.text(cert_margin, cert_margin, cert_width,
           catalog::workspace().text(doc.lang.empty() ? "de" : doc.lang, "certificate.none"),
           {12, false, pdf::align::start, {}, 0});
  return pages;
}

}  // namespace einlass::server
