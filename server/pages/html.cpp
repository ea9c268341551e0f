#include "server/pages/html.hpp"

#include "checkin/text.hpp"
#include "server/app/i18n.hpp"

namespace einlass::server {

std::string esc(std::string_view raw) {
  // Malformed UTF-8 (typed into a form, say) is shown as U+FFFD, never passed on.
  std::string fixed;
  std::string_view s = raw;
  if (!checkin::is_valid_utf8(raw)) s = fixed = checkin::valid_utf8(raw);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string lang_attrs(checkin::shown const& s) {
  return " lang=\"" + esc(s.lang) + "\" dir=\"" + std::string(s.dir()) + "\"";
}

std::string in_own_language(checkin::shown const& s, std::string_view tag) {
  return "<" + std::string(tag) + lang_attrs(s) + ">" + esc(s.text) + "</" + std::string(tag) + ">";
}

std::string esc_lines(std::string_view s) {
  std::string out;
  for (char ch : esc(s)) {
    if (ch == '\n') out += "<br>";
    else if (ch != '\r') out += ch;
  }
  return out;
}

std::string language_links(request const& req, std::string_view current) {
  auto const& c = catalog::builtin();
  std::string out = "<nav class=\"langs\" aria-label=\"" + esc(c.text(current, "lang.switch")) + "\">";
  for (auto l : supported_languages) {
    out += "<a href=\"" + esc(req.path) + "?lang=" + std::string(l) + "\" lang=\"" + std::string(l) + "\" hreflang=\"" +
           std::string(l) + "\"";
    if (l == current) out += " aria-current=\"true\"";
    out += ">" + esc(c.text(l, "lang.name")) + "</a>";
  }
  return out + "</nav>";
}

std::string render_page(request const& req, page const& p) {
  auto const& c = catalog::builtin();
  std::string out;
  out.reserve(p.body.size() + 2048);
  out += "<!doctype html>\n<html lang=\"" + esc(p.lang) + "\" dir=\"" + (is_rtl(p.lang) ? "rtl" : "ltr") + "\">\n";
  out += "<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>" + esc(p.title) + " · " + esc(c.text(p.lang, "app.name")) + "</title>";
  out += "<link rel=\"stylesheet\" href=\"/assets/app.css\">";
  for (auto const& s : p.styles) out += "<link rel=\"stylesheet\" href=\"/assets/" + esc(s) + "\">";
  for (auto const& s : p.scripts) out += "<script type=\"module\" src=\"/assets/" + esc(s) + "\"></script>";
  if (!p.manifest.empty())
    out += "<link rel=\"manifest\" href=\"" + esc(p.manifest) +
           "\"><meta name=\"theme-color\" content=\"#0b5394\"><link rel=\"icon\" href=\"/assets/door/icons/icon.svg\">";
  out += "</head>\n<body>\n<a class=\"skip\" href=\"#main\">" + esc(c.text(p.lang, "page.skip")) + "</a>\n";
  out += "<header class=\"top\">" +
         (p.brand.empty() ? "<span class=\"brand\">" + esc(c.text(p.lang, "app.name")) + "</span>" : p.brand);
  out += p.lang_switch.empty() ? language_links(req, p.lang) : p.lang_switch;
  out += "</header>\n<main id=\"main\" tabindex=\"-1\">\n" + p.body + "\n</main>\n";
  if (!p.footer.empty()) out += "<footer class=\"site\">" + p.footer + "</footer>\n";
  if (!p.data_json.empty()) {
    // A data block is never executed, so the CSP stays free of inline script. "</" cannot
    // end it early because JSON output escapes no slash: guard it here.
    std::string data;
    for (char ch : p.data_json) {
      if (ch == '<') data += "\\u003c";
      else data += ch;
    }
    out += "<script type=\"application/json\" id=\"page-data\">" + data + "</script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

response page_response(request const& req, int status, page const& p) {
  auto r = html_response(status, render_page(req, p));
  if (auto q = req.query_value("lang"); q && is_supported_language(*q))
    r.set("Set-Cookie", "lang=" + std::string(*q) + "; Path=/; Max-Age=31536000; SameSite=Lax");
  r.set("Content-Language", p.lang);
  return r;
}

}  // namespace einlass::server
