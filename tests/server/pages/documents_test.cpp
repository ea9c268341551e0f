// Documents (issue 15): the ticket, the signature list, badges, certificates and the report as
// PDFs, read back with poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm) and their QR codes
// decoded by zbarimg from the rendered pages; certificates verified at /v/, feedback given once.
#include "checkin/db.hpp"
#include "checkin/mail.hpp"
#include "checkin/time.hpp"
#include "tests/support/decode.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_server.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace einlass::test;
namespace json = boost::json;

namespace {

std::string run(std::string const& program, std::vector<std::string> const& args) {
  auto r = run_program(program, args);
  if (r.exit_code != 0) throw std::runtime_error(program + ": " + r.err);
  return r.out;
}

// Letters only: pdftotext puts spaces between some Arabic glyphs it finds apart, and marks
// right-to-left runs; what matters is that the letters come back in their logical order.
std::string letters(std::string const& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n') continue;
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xAB || static_cast<unsigned char>(s[i + 2]) == 0xAC)) {
      i += 2;  // U+202B, U+202C: the embedding marks pdftotext adds
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string pdf_text(temp_dir& dir, std::string const& name, std::string const& body, bool layout = false) {
  auto file = dir.file(name);
  std::ofstream(file, std::ios::binary) << body;
  return layout ? run("/usr/bin/pdftotext", {"-layout", file, "-"}) : run("/usr/bin/pdftotext", {file, "-"});
}

int pages_of(temp_dir& dir, std::string const& name) {
  std::smatch m;
  auto info = run("/usr/bin/pdfinfo", {dir.file(name)});
  return std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))")) ? std::stoi(m[1].str()) : -1;
}

// A door device of the event and a scan that admits the ticket's holder.
std::string door_token(test_server& s, std::string const& slug) {
  auto d = s.client().post_json("/api/v1/events/" + slug + "/devices", json::object{{"name", "Tür"}}, s.auth());
  if (d.status != 201) throw std::runtime_error("device: " + d.body);
  return std::string(d.json().at("token").as_string());
}
void admit(test_server& s, std::string const& token, std::string const& code) {
  auto r = s.client().post_json("/api/v1/checkins", json::object{{"code", code}, {"nonce", "n-" + code.substr(0, 24)}},
                                {{"Authorization", "Bearer " + token}});
  if (r.status != 200 || r.json().at("result") != "ok") throw std::runtime_error("scan: " + r.body);
}

struct registered {
  std::int64_t id;
  std::string code;
};
registered sign_up(test_server& s, std::string const& slug, std::string const& email, json::object more = {}) {
  auto r = s.client().post_json("/api/v1/events/" + slug + "/registrations", person(email, std::move(more)));
  if (r.status != 201) throw std::runtime_error("registration: " + r.body);
  return {r.json().at("id").as_int64(), std::string(r.json().at("ticket").at("code").as_string())};
}

// The verification codes printed on certificates, in order.
std::vector<std::string> certificate_codes(std::string const& text) {
  std::vector<std::string> out;
  std::regex code(R"(/v/([A-Z2-7]{8}-[A-Z2-7]{8}))");
  for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

}  // namespace

TEST(Documents, TheTicketPdfInA4AndA6HasTheCodeTheNameAndEveryFontEmbedded) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec(
      "forum", {{"title", json::object{{"de", "Netzwerktreffen Fachkräfte"}, {"ar", "لقاء شبكة الكفاءات"}}}}));
  auto c = s.client();
  auto r =
      c.post_json("/api/v1/events/forum/registrations",
                  person("salma@example.org", {{"first_name", "سلمى"}, {"last_name", "حداد"}, {"language", "ar"}}));
  ASSERT_EQ(r.status, 201);
  std::string code(r.json().at("ticket").at("code").as_string());
  for (std::string size : {"a4", "a6"}) {
    SCOPED_TRACE(size);
    auto pdf = c.get("/t/" + code + ".pdf?size=" + size);
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.header("content-disposition"), size == "a6" ? "attachment; filename=\"forum-ticket-a6.pdf\""
                                                              : "attachment; filename=\"forum-ticket.pdf\"");
    auto file = dir.file("ticket-" + size + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf.body;
    auto info = run("/usr/bin/pdfinfo", {file});
    EXPECT_NE(info.find("Pages:           1\n"), std::string::npos) << info;
    EXPECT_NE(info.find(size == "a4" ? "595.276 x 841.89 pts (A4)" : "297.638 x 419.528 pts"), std::string::npos)
        << info;
    auto fonts = run("/usr/bin/pdffonts", {file});
    std::istringstream lines(fonts);
    int embedded = 0;
    for (std::string line; std::getline(lines, line);)
      if (line.find("TrueType") != std::string::npos) {
        EXPECT_NE(line.find(" yes yes yes "), std::string::npos) << "embedded as a subset: " << line;
        ++embedded;
      }
    EXPECT_GE(embedded, 2) << fonts;  // Noto Sans and Noto Sans Arabic
    auto text = letters(run("/usr/bin/pdftotext", {file, "-"}));
    EXPECT_NE(text.find(letters("سلمى حداد")), std::string::npos) << text;
    EXPECT_NE(text.find(letters("لقاء شبكة الكفاءات")), std::string::npos) << "the title in the holder's language";
    EXPECT_NE(text.find("HandwerkskammerzuLeipzig"), std::string::npos);
    run("/usr/bin/pdftoppm", {"-r", "150", "-png", "-singlefile", file, dir.file("page-" + size)});
    EXPECT_EQ(zbar_decode(dir.file("page-" + size + ".png")), code) << "the QR code as printed";
  }
  // Only a confirmed ticket is a document to show at the door.
  auto wait = c.post_json("/api/v1/events/forum/attendees/" + std::to_string(r.json().at("id").as_int64()) + "/cancel",
                          json::object{}, s.auth());
  ASSERT_EQ(wait.status, 200);
  EXPECT_EQ(c.get("/t/" + code + ".pdf").status, 404);
}

TEST(Documents, TheSignatureListHasEveryoneByLastNameOverTheRightPagesWithBlankRowsForWalkIns) {
  temp_dir dir;
  test_server s;
  s.create_event(
      event_spec("forum", {{"capacity", 200}, {"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  auto c = s.client();
  auto session = c.get("/api/v1/events/forum").json().at("sessions").at(0).at("id").as_int64();
  // 150 people (the issue's size), one with an Arabic name, one with a very long one.
  for (int i = 0; i < 150; ++i) {
    json::object more{{"first_name", "Person"}, {"last_name", "Nachname" + std::to_string(1000 + i)}};
    if (i == 7) more = json::object{{"first_name", "سلمى"}, {"last_name", "حداد"}};
    if (i == 8)
      more = json::object{{"first_name", "Maria-Magdalena Theresia"},
                          {"last_name", "von Hohenzollern-Sigmaringen-Wittelsbach-Oberschwaben"}};
    if (i < 3) more["sessions"] = json::array{session};
    ASSERT_EQ(c.post_json("/api/v1/events/forum/registrations",
                          person("p" + std::to_string(i) + "@example.org", std::move(more)))
                  .status,
              201);
  }
  auto pdf = c.get("/api/v1/events/forum/attendance.pdf", s.auth());
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  auto file = dir.file("list.pdf");
  std::ofstream(file, std::ios::binary) << pdf.body;
  auto info = run("/usr/bin/pdfinfo", {file});
  int per_page = 23;  // rows of 9 mm on A4 under the head
  int pages = (150 + 10 + per_page - 1) / per_page;
  EXPECT_NE(info.find("Pages:           " + std::to_string(pages) + "\n"), std::string::npos) << info;
  EXPECT_NE(info.find("(A4)"), std::string::npos);
  auto text = run("/usr/bin/pdftotext", {"-layout", file, "-"});
  EXPECT_NE(text.find("Seite 2 von " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("Unterschrift"), std::string::npos);
  // Sorted by last name: Nachname1000 before Nachname1001, and von Hohenzollern… after them.
  EXPECT_LT(text.find("Nachname1000"), text.find("Nachname1001"));
  EXPECT_LT(text.find("Nachname1149"), text.find("von Hohenzollern"));
  std::string line;  // the row with the Arabic name (pdftotext may space its letters apart)
  std::istringstream rows(text);
  for (std::string l; std::getline(rows, l);)
    if (letters(l).find(letters("حداد")) != std::string::npos) line = l;
  EXPECT_NE(letters(line).find(letters("حداد")), std::string::npos) << line;
  EXPECT_NE(letters(line).find(letters("سلمى")), std::string::npos) << line;
  EXPECT_NE(text.find("160"), std::string::npos) << "numbered on into the blank rows";
  // The table head on every page.
  std::size_t heads = 0;
  for (auto at = text.find("Unterschrift"); at != std::string::npos; at = text.find("Unterschrift", at + 1)) ++heads;
  EXPECT_EQ(heads, static_cast<std::size_t>(pages));
  // Per working group: the three in it, one page.
  auto group = c.get("/api/v1/events/forum/attendance.pdf?list=" + std::to_string(session), s.auth());
  ASSERT_EQ(group.status, 200);
  std::ofstream(dir.file("group.pdf"), std::ios::binary) << group.body;
  auto group_text = run("/usr/bin/pdftotext", {dir.file("group.pdf"), "-"});
  EXPECT_NE(group_text.find("AG Anerkennung"), std::string::npos);
  EXPECT_NE(group_text.find("Nachname1002"), std::string::npos);
  EXPECT_EQ(group_text.find("Nachname1003"), std::string::npos);
  EXPECT_EQ(c.get("/api/v1/events/forum/attendance.pdf?list=999", s.auth()).status, 422);
  EXPECT_EQ(c.get("/api/v1/events/forum/attendance.pdf").status, 401);
}

TEST(Documents, BadgesInThreeLayoutsKeepEveryWordInsideItsBadge) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec("forum", {{"sessions", json::array{json::object{{"title", "AG Anerkennung"}}}}}));
  auto c = s.client();
  auto session = c.get("/api/v1/events/forum").json().at("sessions").at(0).at("id").as_int64();
  std::set<std::string> codes;
  for (int i = 0; i < 20; ++i) {
    json::object more{{"first_name", "Vorname" + std::to_string(i)},
                      {"last_name", "Nachname" + std::to_string(100 + i)},
                      {"sessions", json::array{session}}};
    if (i == 3)
      more = json::object{{"first_name", "سلمى"}, {"last_name", "حداد"}, {"organisation_type", "migrant_organisation"}};
    if (i == 4)
      more = json::object{
          {"first_name", "Maximiliane-Friederike-Augusta"},
          {"last_name", "von Hohenzollern-Sigmaringen-Wittelsbach-Oberschwaben"},
          {"organisation", "Industrie- und Handelskammer Magdeburg, Geschäftsbereich Fachkräftesicherung"}};
    auto r = c.post_json("/api/v1/events/forum/registrations", person("b" + std::to_string(i) + "@example.org", more));
    ASSERT_EQ(r.status, 201);
    codes.insert(std::string(r.json().at("ticket").at("code").as_string()));
  }
  struct expectation {
    std::string layout, size;
    int pages;
    double badge_w, badge_h;
    int columns, rows;
  };
  for (auto const& x : {expectation{"a4-8", "595.276 x 841.89 pts (A4)", 3, 90, 54, 2, 4},
                        expectation{"a4-10", "595.276 x 841.89 pts (A4)", 2, 85, 55, 2, 5},
                        expectation{"label-62", "175.748 x 283.465 pts", 20, 62, 100, 1, 1}}) {
    SCOPED_TRACE(x.layout);
    auto pdf = c.get("/api/v1/events/forum/badges.pdf?layout=" + x.layout + "&qr=1", s.auth());
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    auto file = dir.file(x.layout + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf.body;
    auto info = run("/usr/bin/pdfinfo", {file});
    EXPECT_NE(info.find("Pages:           " + std::to_string(x.pages) + "\n"), std::string::npos) << info;
    EXPECT_NE(info.find(x.size), std::string::npos) << info;
    EXPECT_NE(letters(run("/usr/bin/pdftotext", {file, "-"})).find(letters("سلمى حداد")), std::string::npos);
    // Measured: every word of a badge lies inside one badge's rectangle (points, 0.5 pt slack).
    auto bbox = run("/usr/bin/pdftotext", {"-bbox", file, "-"});
    double mm = 72 / 25.4, page_w = x.layout == "label-62" ? 62 : 210, page_h = x.layout == "label-62" ? 100 : 297;
    double x0 = ((page_w - (x.columns * x.badge_w)) / 2) * mm;
    double y0 = std::min((page_h - (x.rows * x.badge_h)) / 2,
                         x.layout == "label-62" ? 0.0 : page_h - (x.rows * x.badge_h) - 14) *
                mm;
    double grid_bottom = y0 + (x.rows * x.badge_h * mm);
    std::regex word(R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
    int checked = 0;
    for (std::sregex_iterator it(bbox.begin(), bbox.end(), word), end; it != end; ++it) {
      double x1 = std::stod((*it)[1]), y1 = std::stod((*it)[2]), x2 = std::stod((*it)[3]), y2 = std::stod((*it)[4]);
      if (y1 >= grid_bottom) continue;  // the legend below the sheet
      int col = static_cast<int>((x1 - x0) / (x.badge_w * mm)), row = static_cast<int>((y1 - y0) / (x.badge_h * mm));
      double left = x0 + (col * x.badge_w * mm), top = y0 + (row * x.badge_h * mm);
      EXPECT_TRUE(x1 >= left - 0.5 && x2 <= left + (x.badge_w * mm) + 0.5 && y1 >= top - 0.5 &&
                  y2 <= top + (x.badge_h * mm) + 0.5)
          << (*it)[5] << " at " << x1 << "," << y1 << "-" << x2 << "," << y2;
      ++checked;
    }
    EXPECT_GT(checked, 60);
    // Each badge of the first page rendered on its own at 300 dpi: its code decodes to its ticket.
    auto px = [](double points) { return std::to_string(static_cast<int>(points * 300 / 72)); };
    for (int cell = 0; cell < x.columns * x.rows; ++cell) {
      int column = cell % x.columns, row = cell / x.columns;
      double left = x0 + (column * x.badge_w * mm), top = y0 + (row * x.badge_h * mm);
      auto png = dir.file(x.layout + "-" + std::to_string(cell));
      run("/usr/bin/pdftoppm", {"-r", "300", "-png", "-f", "1", "-l", "1", "-singlefile", "-x", px(left), "-y", px(top),
                                "-W", px(x.badge_w * mm), "-H", px(x.badge_h * mm), file, png});
      EXPECT_TRUE(codes.count(zbar_decode(png + ".png"))) << "badge " << cell << "'s QR code is its ticket";
    }
  }
  EXPECT_EQ(c.get("/api/v1/events/forum/badges.pdf?layout=a3-1", s.auth()).status, 422);
  auto group = c.get("/api/v1/events/forum/badges.pdf?layout=label-62&session=" + std::to_string(session), s.auth());
  std::ofstream(dir.file("group.pdf"), std::ios::binary) << group.body;
  EXPECT_NE(run("/usr/bin/pdfinfo", {dir.file("group.pdf")}).find("Pages:           18\n"), std::string::npos);
}

TEST(Documents, CertificatesForThoseWhoCameVerifyAndAChangedNameOrAForgedSignatureDoNot) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec(
      "forum",
      {{"title", json::object{{"de", "Netzwerktreffen Fachkräfte"}, {"ar", "لقاء شبكة الكفاءات"}}},
       {"sessions",
        json::array{json::object{{"title", json::object{{"de", "AG Anerkennung"}, {"ar", "مجموعة الاعتراف"}}}}}},
       {"certificate",
        json::object{{"enabled", true}, {"signer", "Dr. Maria Beispiel"}, {"signer_role", "Projektleitung"}}}}));
  auto c = s.client();
  auto session = c.get("/api/v1/events/forum").json().at("sessions").at(0).at("id").as_int64();
  auto anna = sign_up(s, "forum", "anna@example.org",
                      {{"first_name", "Anna"}, {"last_name", "Schmidt"}, {"sessions", json::array{session}}});
  auto salma =
      sign_up(s, "forum", "salma@example.org", {{"first_name", "سلمى"}, {"last_name", "حداد"}, {"language", "ar"}});
  auto absent = sign_up(s, "forum", "otto@example.org", {{"first_name", "Otto"}, {"last_name", "Fehlt"}});
  // A signature and a funder's logo (any PNG: the ticket's QR image).
  auto png = c.get("/api/v1/tickets/" + anna.code + ".png").body;
  ASSERT_EQ(c.request("PUT", "/api/v1/events/forum/images/signature", png,
                      [&] {
                        auto h = s.auth();
                        h.emplace_back("Content-Type", "image/png");
                        return h;
                      }())
                .status,
            200);
  auto put_gif = c.request("PUT", "/api/v1/events/forum/images/funder-1", "GIF89a", [&] {
    auto h = s.auth();
    h.emplace_back("Content-Type", "image/gif");
    return h;
  }());
  EXPECT_EQ(put_gif.status, 422) << "a PNG or SVG only";
  EXPECT_EQ(put_gif.json().at("error").at("fields").at(0).at("code"), "invalid_image");
  // The next event of the series keeps the signature.
  ASSERT_EQ(c.post_json("/api/v1/events/forum/duplicate", json::object{{"slug", "forum-2"}}, s.auth()).status, 201);
  EXPECT_EQ(c.get("/api/v1/events/forum-2", s.auth()).json().at("images"), json::array{"signature"});
  auto token = door_token(s, "forum");
  admit(s, token, anna.code);
  admit(s, token, salma.code);

  auto all = c.get("/api/v1/events/forum/certificates.pdf", s.auth());
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.header("content-disposition"), "attachment; filename=\"forum-certificates.pdf\"");
  auto text = pdf_text(dir, "all.pdf", all.body);
  EXPECT_EQ(pages_of(dir, "all.pdf"), 2) << "one page for each who came";
  EXPECT_NE(text.find("Anna Schmidt"), std::string::npos);
  EXPECT_NE(text.find("Teilnahmebescheinigung"), std::string::npos);
  EXPECT_NE(text.find("6 Stunden"), std::string::npos) << "the duration, 10:00 to 16:00";
  EXPECT_NE(text.find("AG Anerkennung"), std::string::npos) << "her working group";
  EXPECT_NE(text.find("Dr. Maria Beispiel"), std::string::npos);
  EXPECT_EQ(text.find("Fehlt"), std::string::npos) << "no certificate for who did not come";
  EXPECT_NE(letters(text).find(letters("سلمى حداد")), std::string::npos);
  EXPECT_NE(letters(text).find(letters("شهادة حضور")), std::string::npos) << "Salma's in Arabic";
  EXPECT_NE(letters(text).find(letters("لقاء شبكة الكفاءات")), std::string::npos);
  auto codes = certificate_codes(text);
  ASSERT_EQ(codes.size(), 2u) << text;
  std::istringstream fonts(run("/usr/bin/pdffonts", {dir.file("all.pdf")}));
  for (std::string line; std::getline(fonts, line);)
    if (line.find("TrueType") != std::string::npos) {
      EXPECT_NE(line.find(" yes yes yes "), std::string::npos) << "embedded as a subset: " << line;
    }
  // The QR code on the page is the verification link.
  run("/usr/bin/pdftoppm",
      {"-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", dir.file("all.pdf"), dir.file("certificate")});
  auto link = zbar_decode(dir.file("certificate.png"));
  EXPECT_NE(link.find("/v/" + codes[0]), std::string::npos) << link;

  // Genuine: the page says so and what the certificate states; typed in lower case too.
  std::string anna_code;
  for (auto const& code : codes) {
    auto v = c.get("/v/" + code);
    EXPECT_EQ(v.status, 200) << v.body;
    if (v.body.find("Anna Schmidt") != std::string::npos) anna_code = code;
  }
  auto genuine = c.get("/v/" + anna_code + "?lang=de");
  EXPECT_NE(genuine.body.find("Echt"), std::string::npos);
  EXPECT_NE(genuine.body.find("Anna Schmidt"), std::string::npos);
  std::string lower;
  for (char ch : anna_code)
    if (ch != '-') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(c.get("/v/" + lower).status, 200) << "as typed from paper";
  // A forged signature: the same id, another mac.
  auto forged = anna_code;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto no = c.get("/v/" + forged + "?lang=de");
  EXPECT_EQ(no.status, 404);
  EXPECT_NE(no.body.find("Nicht bestätigt"), std::string::npos);
  EXPECT_EQ(no.body.find("Anna"), std::string::npos) << "a wrong code tells nothing";
  EXPECT_EQ(c.get("/v/AAAAAAAA-AAAAAAAA").status, 404);
  // A changed name: the old certificate no longer verifies; the one made now does, with the new name.
  auto headers = s.auth();
  headers.emplace_back("Content-Type", "application/json");
  auto typo = c.request("PATCH", "/api/v1/events/forum?lang=de",
                        json::serialize(json::object{{"certificate", json::object{{"text", "am {datum}"}}}}), headers);
  ASSERT_EQ(typo.status, 422);
  EXPECT_EQ(typo.json().at("error").at("fields").at(0).at("field"), "certificate.text.de");
  EXPECT_NE(std::string(typo.json().at("error").at("fields").at(0).at("message").as_string()).find("Platzhalter"),
            std::string::npos)
      << typo.body;
  auto patched = c.request("PATCH", "/api/v1/events/forum/attendees/" + std::to_string(anna.id),
                           json::serialize(json::object{{"last_name", "Schmidt-Weber"}}), headers);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(c.get("/v/" + anna_code).status, 404) << "the name on the old paper is not hers any more";
  auto again =
      certificate_codes(pdf_text(dir, "again.pdf", c.get("/api/v1/events/forum/certificates.pdf", s.auth()).body));
  ASSERT_EQ(again.size(), 2u);
  std::string renewed;
  for (auto const& code : again)
    if (code.substr(0, 8) == anna_code.substr(0, 8)) renewed = code;
  ASSERT_FALSE(renewed.empty()) << "the same certificate id";
  EXPECT_NE(renewed, anna_code);
  EXPECT_NE(c.get("/v/" + renewed).body.find("Schmidt-Weber"), std::string::npos);

  // The holder's own link (from the thank-you mail): theirs if they came, in their language.
  auto own = c.get("/t/" + salma.code + "/certificate.pdf");
  ASSERT_EQ(own.status, 200);
  auto own_text = pdf_text(dir, "own.pdf", own.body);
  EXPECT_EQ(pages_of(dir, "own.pdf"), 1);
  EXPECT_NE(letters(own_text).find(letters("سلمى حداد")), std::string::npos);
  EXPECT_EQ(c.get("/t/" + absent.code + "/certificate.pdf").status, 404);
  EXPECT_EQ(c.get("/api/v1/events/forum/certificates.pdf?lang=fr", s.auth()).status, 422);
  // All in German when asked.
  auto german = pdf_text(dir, "de.pdf", c.get("/api/v1/events/forum/certificates.pdf?lang=de", s.auth()).body);
  EXPECT_EQ(german.find(letters("شهادة حضور")), std::string::npos);
}

TEST(Documents, SvgLogosOfTheOrganisationAndTheFundersAreDrawnOnTicketsCertificatesAndTheReport) {
  temp_dir dir;
  test_server s;
  auto c = s.client();
  auto admin = s.add_user("admin@example.org", "admin");
  auto as = [&](std::string const& token, std::string const& type) {
    return std::vector<std::pair<std::string, std::string>>{{"Authorization", "Bearer " + token},
                                                            {"Content-Type", type}};
  };
  ASSERT_EQ(c.post_json("/api/v1/organisations", json::object{{"slug", "iq"}, {"name", "IQ Netzwerk Sachsen-Anhalt"}},
                        {{"Authorization", "Bearer " + admin}})
                .status,
            201);
  c.post_json("/api/v1/organisations/iq/members", json::object{{"email", "organiser@example.org"}},
              {{"Authorization", "Bearer " + admin}});
  // Logos as organisations have them: vectors with a word (red, and blue for the funder).
  auto logo = [](std::string const& colour, std::string const& word) {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 100\"><rect width=\"300\" height=\"100\" "
           "fill=\"" +
           colour + "\"/><text x=\"20\" y=\"65\" font-size=\"40\" fill=\"#ffffff\">" + word + "</text></svg>";
  };
  ASSERT_EQ(
      c.request("PUT", "/api/v1/organisations/iq/logo", logo("#d01010", "IQLOGO"), as(admin, "image/svg+xml")).status,
      200);
  s.create_event(event_spec("forum", {{"organisation", "iq"}, {"certificate", json::object{{"enabled", true}}}}));
  auto put = c.request("PUT", "/api/v1/events/forum/images/funder-1", logo("#1030c0", "ESFPLUS"),
                       as(s.token(), "image/svg+xml"));
  ASSERT_EQ(put.status, 200) << put.body;
  auto served = c.get("/api/v1/events/forum/images/funder-1", s.auth());
  EXPECT_EQ(served.header("content-type"), "image/svg+xml");
  EXPECT_EQ(served.header("content-security-policy"), "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      << "an uploaded SVG runs no script, even opened on its own";
  auto anna = sign_up(s, "forum", "anna@example.org", {{"first_name", "Anna"}, {"last_name", "Schmidt"}});
  admit(s, door_token(s, "forum"), anna.code);

  struct document {
    std::string name, url;
    bool funder;
  };
  for (auto const& d : {document{"ticket", "/t/" + anna.code + ".pdf", false},
                        document{"certificate", "/t/" + anna.code + "/certificate.pdf", true},
                        document{"report", "/api/v1/events/forum/report.pdf", true}}) {
    SCOPED_TRACE(d.name);
    auto pdf = c.get(d.url, s.auth());
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    auto file = dir.file(d.name + ".pdf");
    write_file(file, pdf.body);
    auto page = render_page(file, 50);
    EXPECT_GT(page.count(0xd01010), 300) << "the organisation's red logo";
    if (d.funder) {
      EXPECT_GT(page.count(0x1030c0), 100) << "the funder's blue one";
    }
  }
}

TEST(Documents, FeedbackIsGivenOncePerLinkAnonymouslyAndTheReportCountsItInGermanAndEnglish) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec("forum", {{"feedback", true},
                                      {"sessions", json::array{json::object{{"title", "AG Anerkennung"}},
                                                               json::object{{"title", "AG Sprache"}}}}}));
  auto c = s.client();
  auto sessions = c.get("/api/v1/events/forum").json().at("sessions").as_array();
  auto ag = [&](std::size_t i) { return json::array{sessions.at(i).at("id")}; };
  std::vector<registered> people;
  for (int i = 0; i < 6; ++i)
    people.push_back(sign_up(s, "forum", "p" + std::to_string(i) + "@example.org",
                             {{"last_name", "Person" + std::to_string(i)},
                              {"organisation_type", i < 3 ? "company" : "job_centre"},
                              {"sessions", ag(i % 2)}}));
  auto token = door_token(s, "forum");
  for (int i = 0; i < 4; ++i) admit(s, token, people[static_cast<std::size_t>(i)].code);
  // The links the thank-you mail carries, signed by the server's key.
  auto link = [&](registered const& p) {
    einlass::checkin::database db(s.db_path());
    auto l = einlass::checkin::sign_link(db, "feedback", p.code, einlass::checkin::now() + std::chrono::hours(24));
    return std::pair{"/f/" + p.code, "e=" + std::to_string(l.expires) + "&s=" + l.signature};
  };
  auto post = [&](std::string const& path, std::string const& form) {
    return c.request("POST", path, form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  };
  auto [path0, query0] = link(people[0]);
  auto form = c.get(path0 + "?" + query0 + "&lang=de");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("ohne Ihren Namen"), std::string::npos);
  EXPECT_NE(form.body.find("name=\"overall\""), std::string::npos);
  auto sent = post(path0, query0 + "&overall=5&content=4&contacts=5&comment=Sehr+gute+Kontakte+zum+Jobcenter");
  EXPECT_EQ(sent.status, 200) << sent.body;
  EXPECT_NE(sent.body.find("Danke"), std::string::npos);
  auto twice = post(path0, query0 + "&overall=1");
  EXPECT_EQ(twice.status, 409) << "one answer per link";
  EXPECT_NE(c.get(path0 + "?" + query0).body.find("schon eine R"), std::string::npos);
  auto [path1, query1] = link(people[1]);
  EXPECT_EQ(post(path1, query1 + "&overall=9").status, 422) << "1 to 5";
  EXPECT_EQ(post(path1, query1).status, 422) << "nothing given";
  EXPECT_EQ(post(path1, query1 + "&overall=4&organisation=3").status, 200);
  EXPECT_EQ(post(path1, "e=1&s=AAAA&overall=4").status, 404) << "a forged link";
  EXPECT_EQ(post("/f/" + people[2].code, query1 + "&overall=4").status, 404) << "another's signature";
  // Anonymous in storage: the answers' table names nobody.
  {
    einlass::checkin::database db(s.db_path(), einlass::checkin::database::mode::read_only);
    auto cols = db.prepare(db.engine() == einlass::checkin::engine::sqlite
                               ? "SELECT group_concat(name) FROM pragma_table_info('feedback')"
                               : "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE "
                                 "table_name = 'feedback'");
    ASSERT_TRUE(cols.step());
    auto names = cols.text(0);
    EXPECT_EQ(names.find("registration"), std::string::npos) << names;
    EXPECT_EQ(names.find("_at"), std::string::npos) << "no time that could match a log: " << names;
    auto given = db.prepare("SELECT count(*) FROM registrations WHERE feedback_given = 1");
    ASSERT_TRUE(given.step());
    EXPECT_EQ(given.int64(0), 2);
  }
  for (std::string lang : {"de", "en"}) {
    SCOPED_TRACE(lang);
    auto report = c.get("/api/v1/events/forum/report.pdf?lang=" + lang, s.auth());
    ASSERT_EQ(report.status, 200) << report.body;
    EXPECT_EQ(report.header("content-disposition"), "attachment; filename=\"forum-report-" + lang + ".pdf\"");
    auto text = pdf_text(dir, "report-" + lang + ".pdf", report.body, true);
    bool de = lang == "de";
    EXPECT_NE(text.find(de ? "Auswertung" : "Report"), std::string::npos);
    EXPECT_TRUE(std::regex_search(text, std::regex(de ? R"(Seite 1 von \d)" : R"(Page 1 of \d)"))) << text;
    std::regex came(de ? R"(Erschienen\s+4)" : R"(Came\s+4)"),
        no_shows(de ? R"(Nicht erschienen\s+2 \(33 %\))" : R"(No-shows\s+2 \(33%\))");
    EXPECT_TRUE(std::regex_search(text, came)) << text;
    EXPECT_TRUE(std::regex_search(text, no_shows)) << text;
    EXPECT_TRUE(std::regex_search(text, std::regex(de ? R"(Unternehmen\s+3\s+3)" : R"(Company\s+3\s+3)"))) << text;
    EXPECT_TRUE(std::regex_search(text, std::regex(R"(AG Anerkennung\s+–\s+3\s+2)"))) << text;
    EXPECT_NE(text.find(de ? "2 Antworten (anonym)" : "2 answers (anonymous)"), std::string::npos);
    EXPECT_NE(text.find(de ? "4,5 von 5 (n = 2)" : "4.5 of 5 (n = 2)"), std::string::npos) << "overall: 5 and 4";
    EXPECT_NE(text.find("Sehr gute Kontakte zum Jobcenter"), std::string::npos);
    EXPECT_NE(text.find(de ? "Ankunft im Zeitverlauf" : "Arrivals over time"), std::string::npos);
  }
  EXPECT_EQ(c.get("/api/v1/events/forum/report.pdf?lang=ar", s.auth()).status, 422) << "German or English";
}

TEST(Documents, BadgesNotYetPrintedAndTheDoorPrintsTheBadgeOfWhoWasJustAdmitted) {
  temp_dir dir;
  test_server s;
  s.create_event(event_spec("forum"));
  auto c = s.client();
  sign_up(s, "forum", "a@example.org", {{"last_name", "Erstdruck"}});
  auto first_sheet = c.get("/api/v1/events/forum/badges.pdf?printed=no", s.auth());
  ASSERT_EQ(first_sheet.status, 200);
  EXPECT_NE(pdf_text(dir, "1.pdf", first_sheet.body).find("Erstdruck"), std::string::npos);
  sign_up(s, "forum", "b@example.org", {{"last_name", "Spaetanmeldung"}});
  auto second = pdf_text(dir, "2.pdf", c.get("/api/v1/events/forum/badges.pdf?printed=no", s.auth()).body);
  EXPECT_NE(second.find("Spaetanmeldung"), std::string::npos);
  EXPECT_EQ(second.find("Erstdruck"), std::string::npos) << "printed before";
  auto walk_in = sign_up(s, "forum", "c@example.org", {{"last_name", "Tuerdruck"}});
  auto token = door_token(s, "forum");
  auto other = sign_up(s, "forum", "d@example.org", {{"last_name", "Nichtda"}});
  EXPECT_EQ(c.get("/api/v1/device/badges/" + std::to_string(walk_in.id), {{"Authorization", "Bearer " + token}}).status,
            404)
      << "not before this door admitted them: no names by walking ids";
  admit(s, token, walk_in.code);
  auto at_door = c.get("/api/v1/device/badges/" + std::to_string(walk_in.id), {{"Authorization", "Bearer " + token}});
  ASSERT_EQ(at_door.status, 200) << at_door.body;
  EXPECT_EQ(at_door.header("content-type"), "application/pdf");
  auto badge = pdf_text(dir, "door.pdf", at_door.body);
  EXPECT_NE(badge.find("Tuerdruck"), std::string::npos);
  EXPECT_EQ(pages_of(dir, "door.pdf"), 1);
  EXPECT_NE(run("/usr/bin/pdfinfo", {dir.file("door.pdf")}).find("175.748 x 283.465 pts"), std::string::npos)
      << "a 62 mm label";
  auto third = pdf_text(dir, "3.pdf", c.get("/api/v1/events/forum/badges.pdf?printed=no", s.auth()).body);
  EXPECT_EQ(third.find("Tuerdruck"), std::string::npos) << "printed at the door";
  EXPECT_EQ(c.get("/api/v1/device/badges/999999", {{"Authorization", "Bearer " + token}}).status, 404);
  EXPECT_EQ(c.get("/api/v1/device/badges/" + std::to_string(other.id), {{"Authorization", "Bearer " + token}}).status,
            404);
  admit(s, door_token(s, "forum"), other.code);
  EXPECT_EQ(c.get("/api/v1/device/badges/" + std::to_string(other.id), {{"Authorization", "Bearer " + token}}).status,
            404)
      << "admitted at another door: that door prints it";
  EXPECT_EQ(c.get("/api/v1/device/badges/" + std::to_string(walk_in.id), s.auth()).status, 403) << "a door call";
}
