// Template rendering: an event made of fuzzed text (title, description, venue, address,
// sessions, a question and its options) and a registration of fuzzed names, then every page
// a participant sees rendered through the real router and handlers — home, event page, the
// form posted back with errors or accepted, ticket, manage and confirm pages — and the
// registration's e-mail. Every HTML document must stay well-formed: only the product's own
// tags, every attribute value quoted, no '>' or bare '&' in text, the data block valid JSON.
// Whatever the input, nothing it carries can become markup.
//
// Input: fields separated by 0x1f — lang, title, description, venue, address, sessions
// ('|' between titles), question label, question kind (first byte), question options ('|'),
// first name, last name, organisation, e-mail, extra form fields (raw), flags ('o' double
// opt-in, 'f' one seat, 'w' waiting list).
#include "checkin/mail.hpp"
#include "checkin/migrate.hpp"
#include "checkin/mime.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "checkin/text.hpp"
#include "checkin/ticket.hpp"
#include "server/app/app.hpp"
#include "server/app/mailer.hpp"
#include "server/app/router.hpp"
#include "server/http/http.hpp"
#include "tests/fuzz/fuzz_common.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <unistd.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace {

namespace json = boost::json;
using namespace einlass;

[[noreturn]] void fail(std::string_view why, std::string_view html, std::size_t at) {
  auto from = at > 200 ? at - 200 : 0;
  std::fprintf(stderr, "malformed HTML: %.*s at %zu:\n%.*s\n", int(why.size()), why.data(), at,
               int(std::min<std::size_t>(400, html.size() - from)), html.data() + from);
  std::abort();
}

bool is_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == ':'; }

// The tags the product writes; anything else in a document came from data.
std::set<std::string, std::less<>> const known_tags = {
    "a",     "article",  "body",   "br",         "button", "dd",    "dialog", "div",     "dl",
    "dt",    "fieldset", "footer", "figcaption", "figure", "form",  "h1",     "h2",      "h3",
    "head",  "header",   "html",   "img",        "input",  "label", "legend", "li",      "link",
    "main",  "meta",     "nav",    "noscript",   "option", "p",     "script", "section", "select",
    "small", "span",     "strong", "textarea",   "title",  "ul",    "video"};

// An entity as esc() writes them, or one a template writes.
bool entity_at(std::string_view s, std::size_t i) {
  for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;"})
    if (s.substr(i, e.size()) == e) return true;
  return false;
}

void check_html(std::string_view s) {
  if (!checkin::is_valid_utf8(s)) fail("invalid UTF-8", s, 0);
  std::size_t i = 0;
  auto const skip_space = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n')) ++i;
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == '>') fail("'>' in text", s, i);
    if (c == '&') {
      if (!entity_at(s, i)) fail("bare '&' in text", s, i);
      ++i;
      continue;
    }
    if (c != '<') {
      ++i;
      continue;
    }
    if (s.substr(i, 15) == "<!doctype html>") {
      i += 15;
      continue;
    }
    std::size_t at = i++;
    bool closing = i < s.size() && s[i] == '/';
    if (closing) ++i;
    std::size_t name_start = i;
    while (i < s.size() && is_name_char(s[i])) ++i;
    std::string_view name = s.substr(name_start, i - name_start);
    if (!known_tags.contains(name)) fail("unknown tag", s, at);
    std::string attrs;
    for (;;) {
      skip_space();
      if (i >= s.size()) fail("unterminated tag", s, at);
      if (s[i] == '>') {
        ++i;
        break;
      }
      if (closing) fail("attribute on a closing tag", s, i);
      std::size_t attr_start = i;
      while (i < s.size() && is_name_char(s[i])) ++i;
      if (i == attr_start) fail("not an attribute", s, i);
      attrs += std::string(s.substr(attr_start, i - attr_start)) + ";";
      if (i < s.size() && s[i] == '=') {
        if (++i >= s.size() || s[i] != '"') fail("unquoted attribute value", s, i);
        auto end = s.find('"', i + 1);
        if (end == std::string_view::npos) fail("unterminated attribute value", s, i);
        for (auto k = i + 1; k < end; ++k) {
          if (s[k] == '<' || s[k] == '>') fail("'<' or '>' in an attribute value", s, k);
          if (s[k] == '&' && !entity_at(s, k)) fail("bare '&' in an attribute value", s, k);
        }
        i = end + 1;
      }
    }
    if (name == "script" && !closing) {
      // Either a module from /assets/ or the page's JSON data block; nothing inline runs.
      auto end = s.find("</script>", i);
      if (end == std::string_view::npos) fail("unterminated script", s, at);
      auto content = s.substr(i, end - i);
      if (attrs.starts_with("type;src;")) {
        if (!content.empty()) fail("inline script", s, i);
      } else if (attrs == "type;id;") {
        boost::system::error_code ec;
        auto v = json::parse(content, ec);
        if (ec || !v.is_object()) fail("data block is not a JSON object", s, i);
        if (content.find('<') != std::string_view::npos) fail("'<' in the data block", s, i);
      } else {
        fail("script of another kind", s, at);
      }
      i = end + 9;
    }
  }
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

struct harness {
  std::filesystem::path dir;
  std::unique_ptr<server::app> app;
  server::router routes = server::make_router();
  std::unique_ptr<checkin::database> db;
  boost::asio::io_context io;
  int count = 0;

  harness() {
    // In memory where there is /dev/shm: each registration is a durable commit (fsync).
    std::string tmpl = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
    tmpl += "/einlass-fuzz-pages-XXXXXX";
    auto const* made = ::mkdtemp(tmpl.data());
    if (!made) std::abort();
    dir = made;
    server::config cfg;
    cfg.db_path = (dir / "einlass.db").string();
    cfg.rate_limit = 0;
    cfg.access_log = false;
    app = std::make_unique<server::app>(cfg);
    db = std::make_unique<checkin::database>(cfg.db_path);
  }
  harness(harness const&) = delete;
  harness& operator=(harness const&) = delete;
  ~harness() {
    db.reset();
    app.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  server::response get(std::string const& target, std::string method = "GET", std::string body = {}) {
    server::request req;
    req.method = std::move(method);
    req.target = target;
    if (!server::parse_target(target, req.path, req.query)) std::abort();  // the harness builds valid targets
    req.headers = {{"host", "127.0.0.1:8080"}, {"accept-language", "de"}};
    if (!body.empty()) req.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    req.body = std::move(body);
    req.remote = "127.0.0.1";
    server::response out;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { out = co_await routes.dispatch(req, *app); },
        boost::asio::detached);
    io.run();
    io.restart();
    if (out.status >= 500) {
      std::fprintf(stderr, "%s %s answered %d\n", req.method.c_str(), target.c_str(), out.status);
      std::abort();
    }
    if (out.header("Content-Type").starts_with("text/html")) check_html(out.body);
    return out;
  }
};

harness& the_harness() {
  static harness h;
  return h;
}

std::string query_lang(std::string_view lang) { return server::url_encode(lang); }

// The first link whose href value begins with `marker`, decoded from its HTML form. Only an
// attribute: fuzzed text may hold the marker too (escaped text never holds `href="`).
std::string link_after(std::string_view page, std::string_view marker) {
  auto at = page.find("href=\"" + std::string(marker));
  if (at == std::string_view::npos) return {};
  at += 6;
  auto end = page.find('"', at);
  std::string out;
  for (auto k = at; k < end; ++k) {
    if (page.substr(k, 5) == "&amp;") {
      out += '&';
      k += 4;
    } else {
      out += page[k];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto& h = the_harness();
  auto f = split(fuzz::text(data, size), '\x1f');
  f.resize(15);
  auto const str = [&](std::size_t i) { return std::string(f[i]); };
  std::string lang = str(0), flags = str(14);

  // The event, dropping what the organiser's form would have refused.
  json::object spec{{"slug", "f" + std::to_string(++h.count)},
                    {"title", str(1)},
                    {"description", str(2)},
                    {"venue", str(3)},
                    {"address", str(4)},
                    {"starts_at", "2030-03-05T10:00"},
                    {"ends_at", "2030-03-05T16:00"},
                    {"timezone", "Europe/Berlin"},
                    {"capacity", flags.find('f') != std::string::npos ? 1 : 100},
                    {"waitlist", flags.find('w') != std::string::npos}};
  if (flags.find('o') != std::string::npos) spec["opt_in_hours"] = 24;
  json::array sessions;
  for (auto t : split(f[5], '|'))
    if (!t.empty() && sessions.size() < 4) sessions.push_back(json::object{{"title", t}, {"capacity", 5}});
  if (!sessions.empty()) spec["sessions"] = sessions;
  if (!f[6].empty()) {
    static constexpr std::array<char const*, 4> kinds{"text", "single", "multiple", "checkbox"};
    json::array options;
    for (auto o : split(f[8], '|')) options.push_back(json::string(o));
    spec["questions"] = json::array{json::object{
        {"label", f[6]}, {"kind", kinds[f[7].empty() ? 0 : std::uint8_t(f[7][0]) % 4]}, {"options", options}}};
  }
  auto e = checkin::event_from_json(spec);
  for (int attempt = 0; !e && attempt < 3; ++attempt) {
    for (auto const& err : e.error().fields) {
      auto key = err.field.substr(0, err.field.find_first_of(".["));
      if (key == "title") spec[key] = "Fachforum";
      else spec.erase(key);
    }
    e = checkin::event_from_json(spec);
  }
  if (!e) return 0;
  checkin::event stored;
  {
    checkin::transaction tx(*h.db);
    auto made = checkin::create_event(*h.db, std::move(*e), std::nullopt, checkin::now());
    tx.commit();
    stored = *checkin::find_event(*h.db, made->slug);
  }
  auto const slug = "/e/" + stored.slug;
  auto const q = "?lang=" + query_lang(lang);

  h.get("/" + q);
  h.get(slug + q);

  // The form as a phone sends it, with the fuzzed extra fields after it.
  std::string email = f[12].empty() ? "p" + std::to_string(h.count) + "@example.org" : str(12);
  std::string body = "first_name=" + server::url_encode(f[9]) + "&last_name=" + server::url_encode(f[10]) +
                     "&email=" + server::url_encode(email) + "&organisation=" + server::url_encode(f[11]) +
                     "&organisation_type=company&consent=1&language=" + server::url_encode(lang);
  if (!stored.sessions.empty()) body += "&sessions=" + std::to_string(stored.sessions.front().id);
  for (auto const& qn : stored.questions) {
    auto value = qn.options.empty() ? std::string("ja") : qn.options.front();
    body += "&answers." + qn.key + "=" + server::url_encode(value);
  }
  if (!f[13].empty()) body += "&" + str(13);
  auto posted = h.get(slug, "POST", body);
  // A language switch shows the form again in the other language, values kept.
  h.get(slug, "POST", body + "&switch_lang=ar");
  if (posted.status != 303) return 0;

  auto ticket = h.get(std::string(posted.header("Location")));
  std::string code(posted.header("Location").substr(3, checkin::ticket_code_length));
  if (auto manage = link_after(ticket.body, "/m/"); !manage.empty()) h.get(manage);
  // The thank-you mail's feedback form (fuzzed answers after valid ones), and a certificate
  // check of fuzzed text.
  auto feedback = checkin::sign_link(*h.db, "feedback", code, checkin::now() + std::chrono::hours(1));
  auto link = "e=" + std::to_string(feedback.expires) + "&s=" + feedback.signature;
  h.get("/f/" + code + "?" + link);
  h.get("/f/" + code, "POST",
        link + "&overall=5&comment=" + server::url_encode(f[11]) + (f[13].empty() ? "" : "&" + str(13)));
  h.get("/v/" + server::url_encode(f[12]));

  auto r = checkin::find_registration(*h.db, code);
  if (!r) std::abort();
  for (auto const& item : checkin::mails_of_registration(*h.db, r->id)) {
    auto m = server::render_mail(*h.db, item, h.app->cfg(), "http://127.0.0.1:8080");
    if (!m) continue;
    check_html(m->html);
    (void)checkin::to_mime(*m);
    std::string_view base = "http://127.0.0.1:8080";
    if (auto confirm = link_after(m->html, std::string(base) + "/c/"); !confirm.empty()) {
      h.get(confirm.substr(base.size()));
      h.get(confirm.substr(base.size()), "POST", "confirm=1");  // the button on that page
    }
  }
  return 0;
}
