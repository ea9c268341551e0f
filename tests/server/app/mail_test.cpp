// E-mail end to end: the real server, a real SMTP server on 127.0.0.1 (Debian's
// python3-aiosmtpd, tests/support/smtp_sink.py), the mails read back with Python's email
// module and python3-icalendar, and the QR code in them decoded by zbarimg.
#include "checkin/mail.hpp"
#include "checkin/db.hpp"
#include "checkin/time.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/smtp_sink.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

using namespace einlass::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Waits (bounded) until the folder holds `n` mails and the outbox of database `db` holds none
// still to send; then a mail sent twice would be in the folder by now, so the count is final
// (a mail is written before it is marked sent). Polls the outbox at most every 50 ms.
std::size_t await_mails(std::string const& dir, std::size_t n, std::string const& db,
                        std::chrono::seconds limit = 30s) {
  auto outbox_idle = [&db] {
    einlass::checkin::database d(db, einlass::checkin::database::mode::read_only);
    return !einlass::checkin::next_mail_due(d).has_value();
  };
  wait_until([&] { return count_mails(dir) >= n && outbox_idle(); }, limit);
  return count_mails(dir);
}

constexpr char const* read_mails = R"(
import email, glob, json, os, sys, icalendar
from email import policy
out = []
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.eml'))):
    raw = open(f, 'rb').read()
    # strict: any defect raises; and none may hide in a part, nor a header line pass 78.
    m = email.message_from_bytes(raw, policy=policy.strict)
    for line in raw.split(b'\r\n\r\n', 1)[0].split(b'\r\n'):
        if len(line) > 78 or any(b > 127 for b in line): raise SystemExit('header line: %r' % line)
    for part in m.walk():
        if part.defects: raise SystemExit('defects in %s: %r' % (f, part.defects))
    to = m['To'].addresses
    sender = m['From'].addresses
    item = {'message_id': m['Message-ID'], 'subject': str(m['Subject']), 'to': str(m['To']), 'types': [],
            'to_mailboxes': [[a.display_name, a.addr_spec] for a in to],
            'from_mailboxes': [[a.display_name, a.addr_spec] for a in sender],
            'text': '', 'html': '', 'png': None, 'ics': None}
    for part in m.walk():
        ct = part.get_content_type()
        item['types'].append(ct)
        if ct == 'text/plain': item['text'] = part.get_content()
        elif ct == 'text/html': item['html'] = part.get_content()
        elif ct == 'image/png':
            p = f + '.png'
            open(p, 'wb').write(part.get_content())
            item['png'] = p
            item['cid'] = part['Content-ID']
        elif ct == 'text/calendar':
            cal = icalendar.Calendar.from_ical(part.get_content())
            ev = next(iter(cal.walk('VEVENT')))
            item['ics'] = {'start': ev['DTSTART'].dt.isoformat(), 'tzid': ev['DTSTART'].params.get('TZID'),
                           'summary': str(ev['SUMMARY']), 'location': str(ev.get('LOCATION', '')),
                           'vtimezone': [str(c['TZID']) for c in cal.walk('VTIMEZONE')]}
    out.append(item)
print(json.dumps(out))
)";

json::array mails_in(std::string const& dir) {
  auto r = run_program("/usr/bin/python3", {"-c", read_mails, dir});
  if (r.exit_code != 0) throw std::runtime_error("reading mails: " + r.err);
  return json::parse(r.out).as_array();
}

std::string str(json::value const& v) { return std::string(v.as_string()); }

// The mail to `address` whose subject contains `part`.
json::object const* find_mail(json::array const& mails, std::string const& address, std::string const& part) {
  for (auto const& m : mails)
    if (str(m.at("to")).find(address) != std::string::npos && str(m.at("subject")).find(part) != std::string::npos)
      return &m.as_object();
  return nullptr;
}

void configure_smtp(einlass::server::config& cfg, std::uint16_t port) {
  cfg.smtp_host = "127.0.0.1:" + std::to_string(port);
  cfg.smtp_security = "none";
  cfg.mail_from = "Einlass Test <einlass@example.org>";
  cfg.mail_retry_seconds = 1;
}

// A free port nobody listens on (yet).
std::uint16_t free_port() {
  temp_dir d;
  smtp_sink probe(d.file("probe"));
  return probe.port();
}

http_result reg(http_client& c, std::string const& slug, json::object body) {
  return c.post_json("/api/v1/events/" + slug + "/registrations", body);
}

// A signed link (/m/ or /c/) in a mail's text: its ticket code and the form fields that carry
// expiry and signature.
struct mail_link {
  std::string code, e, s;
  [[nodiscard]] std::string page(char kind) const {
    return std::string("/") + kind + "/" + code + "?e=" + e + "&s=" + s;
  }
  [[nodiscard]] std::string form() const { return "e=" + e + "&s=" + s; }
};
mail_link link_in(std::string const& text, char kind) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(std::string("/") + kind + R"(/([A-Z2-7]+)\?e=(\d+)&s=([A-Z2-7]+))")))
    throw std::runtime_error(std::string("no /") + kind + "/ link in: " + text);
  return {m[1].str(), m[2].str(), m[3].str()};
}

http_result post_form(http_client& c, std::string const& path, std::string const& body) {
  return c.request("POST", path, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

// Runs the server's housekeeping once (opt-in expiry, reminders), as its timer does every minute.
void housekeeping(test_server& s) {
  boost::asio::io_context ioc;
  boost::asio::co_spawn(ioc, s.app().housekeeping(), boost::asio::detached);
  ioc.run();
}

}  // namespace

TEST(Mail, TheTicketArrivesInTheParticipantsLanguageWithQrAndCalendar) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  auto e = s.create_event(event_spec("forum", {{"starts_at", "2030-03-05T14:00"},
                                               {"ends_at", "2030-03-05T18:00"},
                                               {"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  auto c = s.client();
  auto session = e.at("sessions").as_array()[0].at("id").as_int64();
  auto ar = reg(
      c, "forum",
      person("mohammed@example.org",
             {{"first_name", "محمد"}, {"last_name", "العلي"}, {"language", "ar"}, {"sessions", json::array{session}}}));
  ASSERT_EQ(ar.status, 201);
  auto de = reg(c, "forum", person("juergen@example.org", {{"first_name", "Jürgen"}, {"last_name", "Groß"}}));
  ASSERT_EQ(await_mails(sink.dir, 2, s.db_path()), 2u);
  auto mails = mails_in(sink.dir);

  auto const* m = find_mail(mails, "mohammed@example.org", "تسجيلك");
  ASSERT_TRUE(m) << json::serialize(mails);
  EXPECT_NE(str(m->at("to")).find("محمد العلي"), std::string::npos) << "the name, encoded and decoded intact";
  std::set<std::string> types;
  for (auto const& t : m->at("types").as_array()) types.insert(str(t));
  EXPECT_TRUE(types.count("text/plain") && types.count("text/html") && types.count("multipart/alternative"));
  EXPECT_TRUE(types.count("application/pdf")) << "the ticket to print, attached";
  EXPECT_NE(str(m->at("html")).find("dir=\"rtl\""), std::string::npos);
  EXPECT_NE(str(m->at("text")).find("مرحبًا محمد العلي"), std::string::npos);
  EXPECT_NE(str(m->at("text")).find("AG Anerkennung"), std::string::npos);
  EXPECT_NE(str(m->at("html")).find("cid:ticket-qr"), std::string::npos);
  EXPECT_EQ(str(m->at("cid")), "<ticket-qr>");
  EXPECT_EQ(zbar_decode(str(m->at("png"))), str(ar.json().at("ticket").at("code"))) << "the QR code is the ticket";
  auto const& ics = m->at("ics").as_object();
  EXPECT_EQ(str(ics.at("tzid")), "Europe/Berlin");
  EXPECT_EQ(str(ics.at("start")), "2030-03-05T14:00:00+01:00");
  EXPECT_EQ(ics.at("vtimezone").as_array().size(), 1u);
  EXPECT_EQ(str(ics.at("summary")), "Netzwerktreffen Fachkräfte forum");
  EXPECT_NE(str(ics.at("location")).find("Handwerkskammer zu Leipzig"), std::string::npos);

  auto const* g = find_mail(mails, "juergen@example.org", "Ihre Anmeldung");
  ASSERT_TRUE(g);
  EXPECT_NE(str(g->at("text")).find("Guten Tag Jürgen Groß"), std::string::npos);
  EXPECT_NE(str(g->at("text")).find("/m/"), std::string::npos) << "a link to manage the registration";
  EXPECT_EQ(zbar_decode(str(g->at("png"))), str(de.json().at("ticket").at("code")));

  // The organiser sees what went out.
  auto list = c.get("/api/v1/events/forum/attendees", s.auth()).json().at("attendees").as_array();
  for (auto const& a : list) EXPECT_EQ(a.at("mails").as_array()[0].at("status"), "sent");
}

TEST(Mail, AnArabicGuestReadsTheEventAsWrittenInArabic) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  auto admin = s.add_user("admin@example.org", "admin");
  auto c0 = s.client();
  ASSERT_EQ(c0.post_json("/api/v1/organisations", json::object{{"slug", "iq"}, {"name", "IQ Netzwerk Sachsen-Anhalt"}},
                         bearer(admin))
                .status,
            201);
  c0.post_json("/api/v1/organisations/iq/members", json::object{{"email", "organiser@example.org"}}, bearer(admin));
  auto e = s.create_event(event_spec(
      "finden",
      {{"title", json::object{{"de", "Finden und Binden"}, {"ar", "إيجاد الكفاءات والاحتفاظ بها"}}},
       {"sessions",
        json::array{json::object{{"title", json::object{{"de", "AG Anerkennung"}, {"ar", "مجموعة الاعتراف"}}}}}},
       {"mail_texts", json::object{{"ticket", json::object{{"intro", json::object{{"de", "Bitte Ausweis mitbringen."},
                                                                                  {"ar", "يرجى إحضار بطاقة الهوية."}}},
                                                           {"closing", "Parken hinter dem Haus."}}}}},
       {"questions",
        json::array{json::object{{"label", json::object{{"de", "Essen"}, {"ar", "الطعام"}}},
                                 {"kind", "single"},
                                 {"options", json::object{{"de", json::array{"vegetarisch", "mit Fleisch"}},
                                                          {"ar", json::array{"نباتي", "مع لحم"}}}}}}}}));
  auto c = s.client();
  auto session = e.at("sessions").as_array()[0].at("id").as_int64();
  auto ar = reg(c, "finden",
                person("salma@example.org", {{"first_name", "سلمى"},
                                             {"last_name", "حداد"},
                                             {"language", "ar"},
                                             {"sessions", json::array{session}},
                                             {"answers", json::object{{"q1", "نباتي"}}}}));
  ASSERT_EQ(ar.status, 201) << ar.body;
  auto en = reg(c, "finden",
                person("jane@example.org", {{"language", "en"}, {"answers", json::object{{"q1", "mit Fleisch"}}}}));
  ASSERT_EQ(en.status, 201) << en.body;
  ASSERT_EQ(await_mails(sink.dir, 2, s.db_path()), 2u);
  auto mails = mails_in(sink.dir);

  auto const* m = find_mail(mails, "salma@example.org", "إيجاد الكفاءات والاحتفاظ بها");
  ASSERT_TRUE(m) << json::serialize(mails);
  EXPECT_NE(str(m->at("html")).find("lang=\"ar\" dir=\"rtl\">إيجاد الكفاءات والاحتفاظ بها</h2>"), std::string::npos);
  EXPECT_NE(str(m->at("text")).find("- مجموعة الاعتراف"), std::string::npos);
  EXPECT_EQ(str(m->at("ics").at("summary")), "إيجاد الكفاءات والاحتفاظ بها");
  EXPECT_NE(str(m->at("text")).find("فعالية من تنظيم IQ Netzwerk Sachsen-Anhalt"), std::string::npos) << "who invites";
  EXPECT_NE(str(m->at("html")).find("<p lang=\"ar\" dir=\"rtl\">يرجى إحضار بطاقة الهوية.</p>"), std::string::npos)
      << "the organiser's own words, in Arabic where written";
  EXPECT_NE(str(m->at("html")).find("<p lang=\"de\" dir=\"ltr\">Parken hinter dem Haus.</p>"), std::string::npos)
      << "and in German where not";
  EXPECT_NE(str(m->at("html")).find("/o/iq/privacy?lang=ar"), std::string::npos);
  // No English written: the English guest reads German, marked as German.
  auto const* g = find_mail(mails, "jane@example.org", "Finden und Binden");
  ASSERT_TRUE(g) << json::serialize(mails);
  EXPECT_NE(str(g->at("html")).find("lang=\"de\" dir=\"ltr\">Finden und Binden</h2>"), std::string::npos);
  // The answer chosen in Arabic is stored as the option it stands for.
  auto list = c.get("/api/v1/events/finden/attendees", s.auth()).json().at("attendees").as_array();
  std::set<std::string> answers;
  for (auto const& a : list) answers.insert(str(a.at("answers").at("q1")));
  EXPECT_EQ(answers, (std::set<std::string>{"vegetarisch", "mit Fleisch"}));
}

TEST(Mail, WithTheMailServerDownRegistrationsSucceedAndEveryMailArrivesOnceItIsBack) {
  temp_dir dir;
  auto port = free_port();
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, port); });
  s.create_event(event_spec("forum"));
  auto c = s.client();
  for (int i = 0; i < 8; ++i) ASSERT_EQ(reg(c, "forum", person("p" + std::to_string(i) + "@example.org")).status, 201);
  // Wait (bounded) until the sender has tried and recorded why it failed.
  json::array waiting;
  auto tried = [&] {
    waiting = c.get("/api/v1/events/forum/mails", s.auth()).json().at("mails").as_array();
    return std::any_of(waiting.begin(), waiting.end(), [](auto const& m) { return !m.at("last_error").is_null(); });
  };
  EXPECT_TRUE(wait_until(tried)) << "the sender tried and recorded why it failed";
  ASSERT_EQ(waiting.size(), 8u);
  for (auto const& m : waiting) EXPECT_EQ(m.at("status"), "pending");

  smtp_sink sink(dir.file("inbox"), port);
  ASSERT_EQ(await_mails(sink.dir, 8, s.db_path(), 40s), 8u);
  std::set<std::string> to, ids;
  for (auto const& m : mails_in(sink.dir)) {
    to.insert(str(m.at("to")));
    ids.insert(str(m.at("message_id")));
  }
  EXPECT_EQ(to.size(), 8u) << "each person once";
  EXPECT_EQ(ids.size(), 8u);
}

TEST(Mail, KilledWithMailsPendingThenRestartedEveryMailArrivesOnce) {
  temp_dir dir;
  auto port = free_port();
  auto db = dir.file("einlass.db");
  run_binary({"user", "add", "--db", db, "--email", "orga@example.org", "--role", "organiser"}, "a long password\n");
  auto token = run_binary({"token", "create", "--db", db, "--email", "orga@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  std::vector<std::string> args{"--db",
                                db,
                                "--quiet",
                                "--rate-limit",
                                "0",
                                "--smtp",
                                "127.0.0.1:" + std::to_string(port),
                                "--smtp-security",
                                "none",
                                "--mail-from",
                                "einlass@example.org",
                                "--mail-retry-seconds",
                                "1"};
  {
    server_process server(args);
    http_client c(server.port());
    ASSERT_EQ(c.post_json("/api/v1/events", event_spec("forum"), {{"Authorization", "Bearer " + token}}).status, 201);
    for (int i = 0; i < 6; ++i)
      ASSERT_EQ(reg(c, "forum", person("k" + std::to_string(i) + "@example.org")).status, 201);
    server.signal(SIGKILL);
    server.wait();
  }
  smtp_sink sink(dir.file("inbox"), port);
  {
    server_process server(args);
    ASSERT_EQ(await_mails(sink.dir, 6, db, 40s), 6u);
    server.signal(SIGTERM);
    server.wait();
  }
  {
    server_process again(args);  // a clean restart sends nothing twice
    std::this_thread::sleep_for(2s);
  }
  std::set<std::string> to;
  for (auto const& m : mails_in(sink.dir)) to.insert(str(m.at("to")));
  EXPECT_EQ(count_mails(sink.dir), 6u);
  EXPECT_EQ(to.size(), 6u);
}

TEST(Mail, CancellingByTheLinkInTheMailPromotesTheNextByMail) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  s.create_event(event_spec("forum", {{"capacity", 1}, {"waitlist", true}}));
  auto c = s.client();
  auto a = reg(c, "forum", person("anna@example.org", {{"first_name", "Anna"}}));
  auto b = reg(c, "forum", person("ben@example.org", {{"first_name", "Ben"}}));
  EXPECT_EQ(b.json().at("status"), "waitlisted");
  ASSERT_EQ(await_mails(sink.dir, 2, s.db_path()), 2u);
  auto mails = mails_in(sink.dir);
  auto const* waiting = find_mail(mails, "ben@example.org", "Warteliste");
  ASSERT_TRUE(waiting);
  EXPECT_TRUE(waiting->at("png").is_null()) << "no ticket while waiting";
  auto const* ticket = find_mail(mails, "anna@example.org", "Ihre Anmeldung");
  ASSERT_TRUE(ticket);
  auto link = link_in(str(ticket->at("text")), 'm');
  EXPECT_EQ(c.get(link.page('m')).status, 200);
  auto forged = link;
  forged.s[0] = forged.s[0] == 'A' ? 'B' : 'A';  // always another signature
  EXPECT_EQ(c.get(forged.page('m')).status, 404) << "a forged signature";
  EXPECT_EQ(post_form(c, "/m/" + link.code, forged.form() + "&action=cancel&sure=yes").status, 404);
  EXPECT_EQ(post_form(c, "/m/" + link.code, link.form() + "&action=cancel&sure=yes").status, 303);
  ASSERT_EQ(await_mails(sink.dir, 4, s.db_path()), 4u);
  mails = mails_in(sink.dir);
  EXPECT_TRUE(find_mail(mails, "anna@example.org", "Storniert"));
  auto const* promoted = find_mail(mails, "ben@example.org", "Ein Platz ist frei");
  ASSERT_TRUE(promoted);
  EXPECT_EQ(zbar_decode(str(promoted->at("png"))), str(b.json().at("ticket").at("code")));
  auto after = c.get("/api/v1/events/forum/attendees?status=confirmed", s.auth()).json();
  EXPECT_EQ(after.at("total"), 1);
  EXPECT_EQ(after.at("attendees").as_array()[0].at("email"), "ben@example.org");
}

TEST(Mail, EachChangeAnOrganiserMakesReachesTheParticipant) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  auto e = s.create_event(
      event_spec("forum", {{"capacity", 2},
                           {"waitlist", true},
                           {"sessions", json::array{json::object{{"title", "AG 1"}, {"capacity", 1}},
                                                    json::object{{"title", "AG 2"}, {"capacity", 5}}}}}));
  auto ag1 = e.at("sessions").as_array()[0].at("id").as_int64(),
       ag2 = e.at("sessions").as_array()[1].at("id").as_int64();
  auto c = s.client();
  auto in = [](std::int64_t session) { return json::object{{"sessions", json::array{session}}}; };
  auto anna = reg(c, "forum", person("anna@example.org", in(ag1)));
  auto carl = reg(c, "forum", person("carl@example.org", in(ag2)));
  auto ben = reg(c, "forum", person("ben@example.org", in(ag1)));
  ASSERT_EQ(ben.json().at("status"), "waitlisted");
  ASSERT_EQ(await_mails(sink.dir, 3, s.db_path()), 3u);
  auto path = [](http_result const& r, std::string const& action) {
    return "/api/v1/events/forum/attendees/" + std::to_string(r.json().at("id").as_int64()) + action;
  };

  // The organiser cancels Carl: he is told. Ben, waiting for the full AG 1, keeps waiting.
  auto cancel = c.post_json(path(carl, "/cancel"), json::object{}, s.auth());
  ASSERT_EQ(cancel.status, 200) << cancel.body;
  EXPECT_TRUE(cancel.json().at("promoted").as_array().empty());
  ASSERT_EQ(await_mails(sink.dir, 4, s.db_path()), 4u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "carl@example.org", "Storniert"));
  // Cancelling again changes nothing and sends nothing.
  EXPECT_EQ(c.post_json(path(carl, "/cancel"), json::object{}, s.auth()).status, 200);

  auto patch = [&](http_result const& who, json::object const& body) {
    auto h = s.auth();
    h.emplace_back("Content-Type", "application/json");
    return c.request("PATCH", path(who, ""), json::serialize(body), h);
  };
  // Ben moved to AG 2: that frees him from the waiting list, and his mail brings the ticket.
  auto moved = patch(ben, in(ag2));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json().at("status"), "confirmed");
  ASSERT_EQ(await_mails(sink.dir, 5, s.db_path()), 5u);
  auto mails = mails_in(sink.dir);
  auto const* ticket = find_mail(mails, "ben@example.org", "Ein Platz ist frei");
  ASSERT_TRUE(ticket);
  EXPECT_EQ(zbar_decode(str(ticket->at("png"))), str(ben.json().at("ticket").at("code")));
  // Anna moved to AG 2 as well: she is told of her new working group.
  ASSERT_EQ(patch(anna, in(ag2)).status, 200);
  ASSERT_EQ(await_mails(sink.dir, 6, s.db_path()), 6u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "anna@example.org", "Geänderte Anmeldung"));
  // A change of name only is no news for the participant.
  ASSERT_EQ(patch(anna, json::object{{"last_name", "Neumann"}}).status, 200);

  // Carl restored while the event is full: he is told he is on the waiting list.
  auto restored = c.post_json(path(carl, "/restore"), json::object{}, s.auth());
  ASSERT_EQ(restored.status, 200) << restored.body;
  EXPECT_EQ(restored.json().at("status"), "waitlisted");
  ASSERT_EQ(await_mails(sink.dir, 7, s.db_path()), 7u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "carl@example.org", "Warteliste"));
  // A seat free while Carl waits (a capacity changed beside the server, which would have
  // moved him up itself): the organiser takes him from the waiting list, and he gets his ticket.
  {
    einlass::checkin::database db(s.db_path());
    db.exec("UPDATE events SET capacity = 3 WHERE slug = 'forum'");
  }
  auto confirmed = c.post_json(path(carl, "/confirm"), json::object{}, s.auth());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json().at("status"), "confirmed");
  ASSERT_EQ(await_mails(sink.dir, 8, s.db_path()), 8u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "carl@example.org", "Ein Platz ist frei"));
  EXPECT_EQ(count_mails(sink.dir), 8u) << "one mail per change, none for what changed nothing for the participant";
}

// A certificate for 127.0.0.1 and localhost, signed by itself: the mail server's, and the
// authority an organisation would give the server with --smtp-ca-file.
void make_certificate(std::string const& cert, std::string const& key) {
  auto r = run_program("/usr/bin/openssl",
                       {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  if (r.exit_code != 0) throw std::runtime_error("openssl: " + r.err);
}

// The outbox entry of the first mail once it was tried at least once (bounded: 20 s).
json::object first_attempt(test_server& s, http_client& c) {
  auto deadline = std::chrono::steady_clock::now() + 20s;
  for (;;) {
    auto m = c.get("/api/v1/events/forum/mails", s.auth()).json().at("mails").as_array();
    if ((!m.empty() && (m.back().at("attempts").as_int64() > 0 || m.back().at("status") != "pending")) ||
        std::chrono::steady_clock::now() > deadline)
      return m.empty() ? json::object{} : m.back().as_object();
    std::this_thread::sleep_for(100ms);
  }
}

TEST(Mail, OverTlsTheMailServersCertificateIsCheckedAndTheLoginSentEncrypted) {
  temp_dir dir;
  auto cert = dir.file("cert.pem"), key = dir.file("key.pem");
  make_certificate(cert, key);
  smtp_sink sink(dir.file("inbox"), 0, {"--starttls", cert, key, "--login", "einlass@example.org", "geheim 123"});
  auto run = [&](std::string const& ca_file, std::string const& password) {
    auto s = std::make_unique<test_server>([&](einlass::server::config& cfg) {
      configure_smtp(cfg, sink.port());
      cfg.smtp_security = "starttls";
      cfg.smtp_user = "einlass@example.org";
      cfg.smtp_password = password;
      cfg.smtp_ca_file = ca_file;
    });
    s->create_event(event_spec("forum"));
    auto c = s->client();
    EXPECT_EQ(reg(c, "forum", person("anna@example.org")).status, 201);
    return std::pair{first_attempt(*s, c), std::move(s)};
  };

  // Only the system's authorities: the self-made certificate is refused, the mail waits and says why.
  auto [untrusted, s1] = run("", "geheim 123");
  EXPECT_EQ(untrusted.at("status"), "pending");
  EXPECT_NE(str(untrusted.at("last_error")).find("certificate"), std::string::npos) << untrusted;
  // Trusted, but the wrong password: refused at login.
  auto [refused, s2] = run(cert, "falsch");
  EXPECT_EQ(refused.at("status"), "pending");
  EXPECT_NE(str(refused.at("last_error")).find("Login denied"), std::string::npos) << refused;
  EXPECT_EQ(count_mails(sink.dir), 0u);
  // Trusted, the right password: delivered, over TLS, logged in.
  auto [sent, s3] = run(cert, "geheim 123");
  EXPECT_EQ(sent.at("status"), "sent") << sent;
  ASSERT_EQ(count_mails(sink.dir), 1u);
  std::ifstream how(sink.dir + "/000001.json");
  auto came = json::parse(std::string(std::istreambuf_iterator<char>(how), {})).as_object();
  EXPECT_EQ(came.at("tls"), true);
  EXPECT_EQ(came.at("login"), "einlass@example.org");
}

TEST(Mail, ImplicitTlsForPort465) {
  temp_dir dir;
  auto cert = dir.file("cert.pem"), key = dir.file("key.pem");
  make_certificate(cert, key);
  smtp_sink sink(dir.file("inbox"), 0, {"--implicit-tls", cert, key});
  test_server s([&](einlass::server::config& cfg) {
    configure_smtp(cfg, sink.port());
    cfg.smtp_security = "tls";
    cfg.smtp_ca_file = cert;
  });
  s.create_event(event_spec("forum"));
  auto c = s.client();
  EXPECT_EQ(reg(c, "forum", person("anna@example.org")).status, 201);
  EXPECT_EQ(first_attempt(s, c).at("status"), "sent");
  ASSERT_EQ(count_mails(sink.dir), 1u);
  std::ifstream how(sink.dir + "/000001.json");
  EXPECT_EQ(json::parse(std::string(std::istreambuf_iterator<char>(how), {})).at("tls"), true);
}

TEST(Mail, DoubleOptInConfirmsByLinkAndReleasesTheSeatWhenTimeIsUp) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  s.create_event(event_spec("forum", {{"capacity", 2}, {"waitlist", true}, {"opt_in_hours", 24}}));
  auto c = s.client();
  auto a = reg(c, "forum", person("anna@example.org"));
  auto b = reg(c, "forum", person("bert@example.org"));
  auto w = reg(c, "forum", person("wanda@example.org"));
  EXPECT_EQ(w.json().at("status"), "waitlisted");
  ASSERT_EQ(await_mails(sink.dir, 3, s.db_path()), 3u);
  auto mails = mails_in(sink.dir);
  auto const* confirm = find_mail(mails, "anna@example.org", "Bitte bestätigen");
  ASSERT_TRUE(confirm);
  EXPECT_TRUE(confirm->at("png").is_null()) << "no ticket before confirming";
  auto code = str(a.json().at("ticket").at("code"));
  EXPECT_NE(c.get("/t/" + code).body.find("noch nicht bestätigt"), std::string::npos);

  auto link = link_in(str(confirm->at("text")), 'c');
  EXPECT_EQ(c.get(link.page('c')).status, 200)
      << "opening the link shows a button; a mail scanner's visit confirms nothing";
  auto ok = post_form(c, "/c/" + link.code, link.form());
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/t/" + code);
  ASSERT_EQ(await_mails(sink.dir, 4, s.db_path()), 4u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "anna@example.org", "Ihre Anmeldung"));

  // Wanda, waiting, confirms her address; Bert never does: when his time is up, his seat goes to her.
  mails = mails_in(sink.dir);
  auto const* wanda_mail = find_mail(mails, "wanda@example.org", "Bitte bestätigen");
  ASSERT_TRUE(wanda_mail);
  auto wanda_link = link_in(str(wanda_mail->at("text")), 'c');
  EXPECT_EQ(post_form(c, "/c/" + wanda_link.code, wanda_link.form()).status, 303);
  ASSERT_EQ(await_mails(sink.dir, 5, s.db_path()), 5u);
  {
    einlass::checkin::database db(s.db_path());
    db.exec("UPDATE registrations SET confirm_by = '2000-01-01T00:00:00Z' WHERE email = 'bert@example.org'");
  }
  housekeeping(s);
  auto bert = c.get("/api/v1/events/forum/attendees?q=bert", s.auth()).json().at("attendees").as_array()[0];
  EXPECT_EQ(bert.at("status"), "cancelled");
  auto wanda = c.get("/api/v1/events/forum/attendees?q=wanda", s.auth()).json().at("attendees").as_array()[0];
  EXPECT_EQ(wanda.at("status"), "confirmed");
  ASSERT_EQ(await_mails(sink.dir, 6, s.db_path()), 6u);
  EXPECT_TRUE(find_mail(mails_in(sink.dir), "wanda@example.org", "Ein Platz ist frei"));
}

TEST(Mail, WithoutAMailServerMailsWaitAndTheOrganiserCanResend) {
  test_server s;
  s.create_event(event_spec("forum"));
  auto c = s.client();
  auto a = reg(c, "forum", person("anna@example.org"));
  auto id = std::to_string(a.json().at("id").as_int64());
  auto mails = c.get("/api/v1/events/forum/mails", s.auth()).json();
  EXPECT_FALSE(mails.at("sending").as_bool());
  ASSERT_EQ(mails.at("mails").as_array().size(), 1u);
  EXPECT_EQ(mails.at("mails").as_array()[0].at("status"), "pending");
  auto resend = c.post_json("/api/v1/events/forum/attendees/" + id + "/resend", json::object{}, s.auth());
  EXPECT_EQ(resend.status, 200);
  EXPECT_EQ(c.get("/api/v1/events/forum/mails", s.auth()).json().at("mails").as_array().size(), 2u);
}

TEST(Mail, TheDemoWritesMailsToAFolder) {
  temp_dir dir;
  auto folder = dir.file("mail");
  test_server s([&](einlass::server::config& cfg) { cfg.mail_dir = folder; });
  s.create_event(event_spec("forum"));
  auto c = s.client();
  reg(c, "forum", person("anna@example.org"));
  ASSERT_EQ(await_mails(folder, 1, s.db_path()), 1u);
  auto mails = mails_in(folder);
  EXPECT_TRUE(find_mail(mails, "anna@example.org", "Ihre Anmeldung"));
}

// Security review, finding 7: a comma or quote in a name never makes a second mailbox, a name
// in Arabic or with an en dash is RFC 2047-encoded (not raw 8-bit), lines stay within 78; every
// mail of this file is read with Python's policy=strict and checked for defects (read_mails).
TEST(Mail, DisplayNamesWithCommasQuotesAndArabicStayOneMailbox) {
  temp_dir dir;
  auto folder = dir.file("mail");
  std::string from_name = "Netzwerk IQ – Köln, Bonn";
  test_server s([&](einlass::server::config& cfg) {
    cfg.mail_dir = folder;
    cfg.mail_from = from_name + " <einlass@example.org>";
  });
  s.create_event(event_spec("forum", {{"title",
                                       "Ein sehr langer Titel für ein Netzwerktreffen mit vielen Wörtern, "
                                       "die über eine Zeile hinausgehen, und noch mehr"}}));
  auto c = s.client();
  struct who {
    std::string first, last, email;
  };
  std::vector<who> people{{"John", "Smith, Jr.", "smith@example.org"},
                          {"Karl \"Kalle\"", "Schmidt", "kalle@example.org"},
                          {"سلمى", "عبد الله", "salma@example.org"}};
  for (auto const& p : people)
    ASSERT_EQ(reg(c, "forum", person(p.email, {{"first_name", p.first}, {"last_name", p.last}})).status, 201);
  ASSERT_EQ(await_mails(folder, 3, s.db_path()), 3u);
  auto mails = mails_in(folder);  // throws on any defect
  ASSERT_EQ(mails.size(), 3u);
  for (auto const& p : people) {
    auto const* m = find_mail(mails, p.email, "");
    ASSERT_TRUE(m) << p.email;
    auto const& to = m->at("to_mailboxes").as_array();
    ASSERT_EQ(to.size(), 1u) << json::serialize(to);
    EXPECT_EQ(str(to[0].as_array()[0]), p.first + " " + p.last);
    EXPECT_EQ(str(to[0].as_array()[1]), p.email);
    auto const& from = m->at("from_mailboxes").as_array();
    ASSERT_EQ(from.size(), 1u) << json::serialize(from);
    EXPECT_EQ(str(from[0].as_array()[0]), from_name);
    EXPECT_EQ(str(from[0].as_array()[1]), "einlass@example.org");
  }
}

// Issue 16: a message to one session's attendees, each in their language where the organiser
// wrote it, through the outbox to a real SMTP server; previewed and tested on oneself first.
TEST(Mail, AMessageToOneSessionArrivesInEachRecipientsLanguage) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  auto e = s.create_event(event_spec("forum", {{"sessions", json::array{json::object{{"title", "AG Anerkennung"}},
                                                                        json::object{{"title", "AG Ausbildung"}}}}}));
  auto c = s.client();
  auto a = e.at("sessions").as_array()[0].at("id").as_int64();
  auto b = e.at("sessions").as_array()[1].at("id").as_int64();
  auto in_a = json::array{a};
  reg(c, "forum", person("lena@example.org", {{"language", "de"}, {"sessions", in_a}}));
  reg(c, "forum", person("john@example.org", {{"language", "en"}, {"sessions", in_a}}));
  reg(c, "forum", person("amal@example.org", {{"language", "ar"}, {"sessions", in_a}}));
  reg(c, "forum", person("other@example.org", {{"sessions", json::array{b}}}));
  ASSERT_EQ(await_mails(sink.dir, 4, s.db_path()), 4u);  // the tickets

  json::object message{{"subject", json::object{{"de", "Raumänderung"}, {"en", "Room change"}, {"ar", "تغيير القاعة"}}},
                       {"body", json::object{{"de", "Die AG tagt in Raum 2.14."},
                                             {"en", "The group meets in room 2.14."},
                                             {"ar", "تجتمع المجموعة في القاعة 2.14."}}},
                       {"to", json::object{{"session", a}}}};
  auto send = [&](json::object extra) {
    auto body = message;
    for (auto const& [k, v] : extra) body[k] = v;
    return c.post_json("/api/v1/events/forum/messages", body, s.auth());
  };
  auto preview = send({{"preview", true}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json().at("recipients"), 3);
  EXPECT_EQ(preview.json().at("by_language"), (json::object{{"ar", 1}, {"de", 1}, {"en", 1}}));

  auto test = send({{"test", true}});
  ASSERT_EQ(test.status, 202) << test.body;
  ASSERT_EQ(await_mails(sink.dir, 7, s.db_path()), 7u) << "one test mail per language, to the organiser";
  auto mails = mails_in(sink.dir);
  ASSERT_TRUE(find_mail(mails, "organiser@example.org", "[Test] Raumänderung"));
  ASSERT_TRUE(find_mail(mails, "organiser@example.org", "[Test] تغيير القاعة"));

  auto sent = send({});
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json().at("recipients"), 3);
  ASSERT_EQ(await_mails(sink.dir, 10, s.db_path()), 10u);
  mails = mails_in(sink.dir);
  auto const* de = find_mail(mails, "lena@example.org", "Raumänderung");
  auto const* en = find_mail(mails, "john@example.org", "Room change");
  auto const* ar = find_mail(mails, "amal@example.org", "تغيير القاعة");
  ASSERT_TRUE(de && en && ar) << json::serialize(mails);
  EXPECT_NE(str(de->at("text")).find("Die AG tagt in Raum 2.14."), std::string::npos);
  EXPECT_NE(str(en->at("text")).find("You receive this message"), std::string::npos) << "the frame in English too";
  EXPECT_NE(str(ar->at("html")).find("dir=\"rtl\""), std::string::npos);
  EXPECT_NE(str(ar->at("text")).find("تجتمع المجموعة"), std::string::npos);
  EXPECT_FALSE(find_mail(mails, "other@example.org", "Raum")) << "the other session's people are not written to";

  // Listed with its delivery; a language written half, and a choice that reaches no one, refused.
  auto list = c.get("/api/v1/events/forum/messages", s.auth()).json().at("messages").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("recipients"), 3);
  EXPECT_EQ(list[0].at("delivery").at("sent"), 3);
  EXPECT_EQ(list[1].at("test"), true);
  auto half = message;
  half["body"] = json::object{{"de", "Nur Deutsch"}};
  auto r = c.post_json("/api/v1/events/forum/messages", half, s.auth());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(str(r.json().at("error").at("field")), "body.en");
  auto nobody = message;
  nobody["to"] = json::object{{"checked_in", "yes"}};
  r = c.post_json("/api/v1/events/forum/messages", nobody, s.auth());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(str(r.json().at("error").at("field")), "to");
}

// Issue 15: after the event, who came gets the thank-you mail with their certificate and the
// feedback form; both links work, the form once.
TEST(Mail, TheThankYouMailLinksTheCertificateAndTheFeedbackFormOfWhoCame) {
  temp_dir dir;
  smtp_sink sink(dir.file("inbox"));
  test_server s([&](einlass::server::config& cfg) { configure_smtp(cfg, sink.port()); });
  s.create_event(
      event_spec("forum", {{"thank_you", true},
                           {"feedback", true},
                           {"certificate", json::object{{"enabled", true}, {"signer", "Dr. Jana Beispiel"}}}}));
  auto c = s.client();
  auto came = reg(c, "forum", person("came@example.org", {{"first_name", "Clara"}, {"last_name", "Kam"}}));
  auto away = reg(c, "forum", person("away@example.org", {{"first_name", "Paul"}, {"last_name", "Fern"}}));
  ASSERT_EQ(came.status, 201);
  ASSERT_EQ(away.status, 201);
  auto device = c.post_json("/api/v1/events/forum/devices", json::object{{"name", "Tür"}}, s.auth());
  std::string code(came.json().at("ticket").at("code").as_string());
  ASSERT_EQ(c.post_json("/api/v1/checkins", json::object{{"code", code}, {"nonce", "thanks-1"}},
                        {{"Authorization", "Bearer " + std::string(device.json().at("token").as_string())}})
                .status,
            200);
  // The event is over: yesterday.
  auto yesterday = einlass::checkin::to_utc_text(einlass::checkin::now() - std::chrono::hours(24)).substr(0, 10);
  auto moved = c.request(
      "PATCH", "/api/v1/events/forum",
      json::serialize(json::object{{"starts_at", yesterday + "T10:00"}, {"ends_at", yesterday + "T16:00"}}), [&] {
        auto h = s.auth();
        h.emplace_back("Content-Type", "application/json");
        return h;
      }());
  ASSERT_EQ(moved.status, 200) << moved.body;
  housekeeping(s);
  ASSERT_EQ(await_mails(sink.dir, 3, s.db_path()), 3u) << "two tickets, one thank-you";
  auto mails = mails_in(sink.dir);
  auto const* thanks = find_mail(mails, "came@example.org", "Danke");
  ASSERT_TRUE(thanks) << json::serialize(mails);
  EXPECT_FALSE(find_mail(mails, "away@example.org", "Danke")) << "only who came";
  auto text = str(thanks->at("text"));
  auto certificate = "/t/" + code + "/certificate.pdf";
  ASSERT_NE(text.find(certificate), std::string::npos) << text;
  EXPECT_NE(str(thanks->at("html")).find(certificate), std::string::npos);
  auto pdf = c.get(certificate);
  EXPECT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  auto feedback = link_in(text, 'f');
  EXPECT_EQ(feedback.code, code);
  EXPECT_EQ(c.get(feedback.page('f')).status, 200);
  EXPECT_EQ(post_form(c, "/f/" + code, feedback.form() + "&overall=4").status, 200);
  EXPECT_EQ(post_form(c, "/f/" + code, feedback.form() + "&overall=2").status, 409);
}
