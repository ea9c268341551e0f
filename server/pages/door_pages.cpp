// The door tablet's pages: /checkin (scanning) and /checkin/pair/{code} (pairing). The page
// itself holds no data: web/assets/checkin.js asks the API with the device token.
#include "checkin/devices.hpp"
#include "checkin/qr.hpp"
#include "checkin/store.hpp"
#include "server/api/api.hpp"
#include "server/app/requests.hpp"
#include "server/pages/html.hpp"
#include "server/pages/pages.hpp"

#include <boost/json.hpp>

#include <functional>

namespace einlass::server {

namespace json = boost::json;

namespace {

json::object texts_with_prefixes(std::string_view lang, std::initializer_list<std::string_view> prefixes) {
  auto const& c = catalog::builtin();
  json::object texts;
  for (auto const& key : c.keys(lang))
    for (auto p : prefixes)
      if (key.starts_with(p)) texts[key] = c.text(lang, key);
  return texts;
}

// The walk-in dialog: door staff register someone who came without registering.
std::string walkin_dialog(std::function<std::string(std::string_view)> const& t) {
  std::string body;
  body +=
      "<dialog id=\"walkin\" aria-labelledby=\"walkin-title\"><form id=\"walkin-form\" method=\"dialog\" "
      "class=\"form\" novalidate>"
      "<h2 id=\"walkin-title\">" +
      t("door.walkin_title") + "</h2>";
  // Names and consent are always asked; organisation and its type when the event requires them
  // (marked by checkin.js from the event's settings). The server's answer names what is missing,
  // in the page's language, next to its field.
  body += "<p class=\"hint\">" + t("form.required_hint") + "</p>";
  for (auto [name, type, required] : {std::tuple{"first_name", "text", true}, std::tuple{"last_name", "text", true},
                                      std::tuple{"organisation", "text", false}, std::tuple{"email", "email", false}}) {
    body += "<div class=\"field\"><label for=\"w-" + std::string(name) + "\">" + t("field." + std::string(name)) +
            (required ? std::string(" <span class=\"req\" aria-hidden=\"true\">*</span>") : std::string()) +
            "</label><input id=\"w-" + std::string(name) + "\" name=\"" + name + "\" type=\"" + type +
            "\" autocomplete=\"off\"" + (required ? " aria-required=\"true\"" : "") + " aria-describedby=\"we-" + name +
            "\"><p class=\"field-error\" id=\"we-" + name + "\" hidden></p></div>";
  }
  body +=
      "<div class=\"field\"><label for=\"w-organisation_type\">" + t("field.organisation_type") +
      "</label><select id=\"w-organisation_type\" name=\"organisation_type\" aria-describedby=\"we-organisation_type\">"
      "<option value=\"\">" +
      t("form.choose") + "</option>";
  for (auto type : checkin::organisation_types)
    body += "<option value=\"" + std::string(type) + "\">" + t("orgtype." + std::string(type)) + "</option>";
  body += "</select><p class=\"field-error\" id=\"we-organisation_type\" hidden></p></div>";
  body +=
      "<div class=\"field\"><label class=\"choice\"><input type=\"checkbox\" id=\"w-consent\" name=\"consent\" "
      "aria-required=\"true\" aria-describedby=\"we-consent\"><span>" +
      t("door.walkin_consent") +
      " <span class=\"req\" aria-hidden=\"true\">*</span></span></label><p class=\"field-error\" id=\"we-consent\" "
      "hidden></p></div>";
  body += "<p id=\"walkin-error\" class=\"field-error\" role=\"alert\" hidden></p>";
  body += "<div class=\"door-actions\"><button type=\"submit\" value=\"ok\" class=\"primary\">" +
          t("door.walkin_submit") + "</button><button type=\"button\" id=\"walkin-cancel\">" + t("door.cancel") +
          "</button></div></form></dialog>";
  return body;
}

}  // namespace

awaitable<response> checkin_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto const& c = a.texts();
  std::function<std::string(std::string_view)> t = [&](std::string_view key) { return esc(c.text(lang, key)); };
  std::string body;
  body += "<div id=\"door\" class=\"door\" data-lang=\"" + esc(lang) + "\">";
  body += "<p id=\"door-unpaired\" class=\"notice\" hidden>" + t("door.not_paired") + "</p>";
  body += "<section id=\"door-main\" hidden>";
  body +=
      "<div class=\"door-head\"><div><h1 id=\"door-event\" dir=\"auto\"></h1><p id=\"door-list\" "
      "dir=\"auto\"></p></div>"
      "<p id=\"door-counter\" class=\"counter\" aria-live=\"polite\"></p></div>";
  body += "<p id=\"door-net\" class=\"net\" role=\"status\" hidden></p>";
  body += "<div class=\"door-controls\"><fieldset class=\"mode\"><legend>" + t("door.mode") +
          "</legend>"
          "<label><input type=\"radio\" name=\"mode\" value=\"entry\" checked> " +
          t("door.mode_entry") +
          "</label>"
          "<label><input type=\"radio\" name=\"mode\" value=\"exit\"> " +
          t("door.mode_exit") +
          "</label></fieldset>"
          "<button type=\"button\" id=\"door-camera\" class=\"big\">" +
          t("door.start_camera") +
          "</button>"
          "<button type=\"button\" id=\"door-fullscreen\">" +
          t("door.fullscreen") + "</button><label class=\"print-switch\"><input type=\"checkbox\" id=\"door-print\"> " +
          t("door.print_badges") + "</label></div>";
  body +=
      "<div class=\"camera\"><video id=\"door-video\" playsinline muted hidden></video>"
      "<p id=\"door-camera-msg\" class=\"hint\">" +
      t("door.camera_hint") + "</p></div>";
  body += "<div class=\"search\"><label for=\"door-search\">" + t("door.search") +
          "</label>"
          "<input id=\"door-search\" type=\"search\" autocomplete=\"off\" aria-describedby=\"door-search-hint\">"
          "<p id=\"door-search-hint\" class=\"hint\">" +
          t("door.search_hint") +
          "</p>"
          "<ul id=\"door-results\" class=\"results\" aria-live=\"polite\"></ul></div>";
  body += "<div class=\"door-actions\"><button type=\"button\" id=\"door-undo\" disabled>" + t("door.undo") +
          "</button>"
          "<button type=\"button\" id=\"door-walkin\">" +
          t("door.walkin") + "</button></div>";
  // The last scans, so a red or yellow answer can still be read after its colour has gone.
  body += "<section class=\"history\" aria-labelledby=\"door-history-title\"><h2 id=\"door-history-title\">" +
          t("door.history") + "</h2><ol id=\"door-history\"></ol></section>";
  body += walkin_dialog(t);
  // The badge of who was just admitted loads here for the print dialog (door-print switched on).
  body += "<iframe id=\"door-print-frame\" class=\"print-frame\" title=\"" + t("door.print_frame") +
          "\" tabindex=\"-1\"></iframe>";
  body += "</section>";
  // The verdict, full screen.
  body +=
      "<div id=\"verdict\" class=\"verdict\" role=\"alert\" hidden><p class=\"verdict-status\"></p>"
      "<p class=\"verdict-name\" dir=\"auto\"></p><p class=\"verdict-org\" dir=\"auto\"></p>"
      "<p class=\"verdict-sessions\" dir=\"auto\"></p><p class=\"verdict-reason\"></p></div>";
  body += "</div>";

  page p;
  p.lang = lang;
  p.title = c.text(lang, "door.title");
  p.body = body;
  p.scripts = {"checkin.js"};
  p.styles = {"checkin.css"};
  p.manifest = "/checkin.webmanifest?lang=" + lang;
  p.data_json = json::serialize(
      json::object{{"texts", texts_with_prefixes(lang, {"door.", "field.", "reason.", "error.", "form."})},
                   {"time_format", c.text(lang, "format.time")},
                   {"service_worker", "/checkin-sw.js?v=" + door_assets_version()}});
  auto r = page_response(req, 200, p);
  // The badge to print is a PDF fetched with the device's token and shown from a blob: URL.
  r.set("Content-Security-Policy", std::string(security_headers[0].second) + "; frame-src 'self' blob:");
  co_return r;
}

awaitable<response> pair_page(request& req, app& a) {
  auto lang = pick_language(req);
  auto const& c = a.texts();
  std::string code(req.param("code"));
  std::string body = "<article class=\"pair\"><h1>" + esc(c.text(lang, "pair.title")) + "</h1>";
  // The code is checked only when it is used, by the tablet's POST: showing the page
  // (to a link preview, say) must not spend it.
  std::string url = a.link_base() + "/checkin/pair/" + code;
  bool plausible = !code.empty() && code.size() < 64 && std::all_of(code.begin(), code.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= '2' && ch <= '7');
  });
  if (!plausible) {
    body += "<p class=\"notice\">" + esc(c.text(lang, "pair.invalid")) + "</p></article>";
    page p{lang, std::string(c.text(lang, "pair.title")), body, {}, {}, {}, {}, {}, {}, {}};
    co_return page_response(req, 404, p);
  }
  body += "<noscript><p class=\"notice\">" + esc(c.text(lang, "pair.needs_js")) + "</p></noscript>";
  body += "<button type=\"button\" id=\"pair-button\" class=\"primary\" data-code=\"" + esc(code) + "\">" +
          esc(c.text(lang, "pair.button")) + "</button>";
  body += "<p id=\"pair-status\" role=\"status\"></p>";
  body += "<figure class=\"qr\">" + checkin::qr_svg(checkin::make_qr(url)) + "<figcaption>" +
          esc(c.text(lang, "pair.scan_hint")) + "</figcaption></figure></article>";
  page p;
  p.lang = lang;
  p.title = c.text(lang, "pair.title");
  p.body = body;
  p.scripts = {"pair.js"};
  p.data_json = json::serialize(json::object{{"texts", texts_with_prefixes(lang, {"pair."})}});
  auto r = page_response(req, 200, p);
  r.set("Referrer-Policy", "no-referrer");
  co_return r;
}

}  // namespace einlass::server
