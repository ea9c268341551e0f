// einlass_bench_documents: the paperwork of issue 15 over HTTP, side by side in one run.
//
//   einlass_bench_documents [--repeat 3]
//
// Seeds an event of 150 people (all came) and one of 1,000 (600 came) with feedback, starts the
// real server on them, and measures each PDF against reading the same rows from SQLite into a
// file (the floor for any document): the signature list for 150 and for 1,000, badges for 1,000
// (with and without QR codes), certificates for 150 (also with a PNG and an SVG funder's logo),
// the report for 1,000; and the server's peak memory (VmHWM) before the documents, after the small
// event's and after the big one's.
#include "bench/load.hpp"
#include "bench/seed.hpp"
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "checkin/qr.hpp"
#include "checkin/users.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

using namespace einlass;
using namespace einlass::bench;

namespace {

// Anonymous answers for the report: a rating and every fifth a comment.
void seed_feedback(checkin::database& db, std::string const& slug, int answers) {
  checkin::transaction tx(db);
  for (int i = 0; i < answers; ++i)
    db.cached(
          "INSERT INTO feedback (event_id, overall, content, contacts, organisation, comment, day) SELECT id, ?2, ?3, "
          "?4, ?5, ?6, '2026-12-01' FROM events WHERE slug = ?1")
        .bind_all(slug, 1 + (i % 5), 1 + ((i + 1) % 5), 1 + ((i + 2) % 5), 1 + ((i + 3) % 5),
                  i % 5 == 0 ? "Gute Gespräche, mehr Zeit für die Arbeitsgruppen wäre schön." : "")
        .run();
  tx.commit();
}

// A funder's logo as they come: a word and a few hundred curves (about 30 KB of SVG).
std::string funder_svg() {
  std::string svg = R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 200"><g fill="#1030c0">)";
  for (int i = 0; i < 300; ++i) {
    int x = (i * 37) % 560, y = (i * 53) % 160;
    svg += "<path d=\"M" + std::to_string(x) + " " + std::to_string(y) + " c 10 -20 30 -20 40 0 s 10 30 -20 40 z\"/>";
  }
  return svg + R"(</g><text x="20" y="190" font-size="30">Europäischer Sozialfonds Plus</text></svg>)";
}

void line(char const* what, timing const& t, double floor_ms, std::size_t pages) {
  std::printf("| %-44s | %9.1f ms | %9.1f ms | %8.2f MiB | %5zu | %7.1fx |\n", what, t.median_ms, t.max_ms,
              static_cast<double>(t.bytes) / (1024.0 * 1024.0), pages, floor_ms > 0 ? t.median_ms / floor_ms : 0.0);
}

// The pages of a PDF: cairo writes one "/Type /Page\n" object each ("/Type /Pages" is the tree).
std::size_t pages_in(std::string const& pdf) {
  std::size_t n = 0;
  for (auto at = pdf.find("/Type /Page"); at != std::string::npos; at = pdf.find("/Type /Page", at + 1))
    if (pdf.compare(at, 12, "/Type /Pages") != 0) ++n;
  return n;
}

int run(int argc, char** argv) {
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2)
    if (std::string(argv[i]) == "--repeat") repeat = std::max(1, std::stoi(argv[i + 1]));
  test::temp_dir dir;
  auto path = dir.file("documents.db");
  std::string token;
  {
    checkin::database db(path);
    checkin::migrate(db);
    auto u = checkin::upsert_user(db, "bench@example.org", "organiser", "bench password");
    token = checkin::create_api_token(db, u.id);
    seed(db, "p150", 150, 150);
    seed(db, "p1000", 1000, 600);
    seed_feedback(db, "p1000", 240);
  }
  std::printf("einlass_bench_documents: events of 150 (all came) and 1,000 people (600 came); median of %d runs\n\n",
              repeat);
  test::server_process server({"--db", path, "--quiet", "--rate-limit", "0", "--threads", "2"});
  std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + token}};
  test::http_client c(server.port());
  std::size_t pages = 0;
  auto get = [&](std::string const& target) {
    auto r = c.get(target, auth);
    if (r.status != 200) {
      std::fprintf(stderr, "%s: %d %s\n", target.c_str(), r.status, r.body.substr(0, 200).c_str());
      std::exit(1);
    }
    pages = pages_in(r.body);
    return r.body.size();
  };
  get("/api/v1/events/p150/stats");  // the page cache warm, fonts not yet loaded
  auto before = memory_of(server.pid());
  struct row {
    char const* what;
    timing t;
    double floor;
    std::size_t pages;
  };
  std::vector<row> rows;
  auto floor_small = measure(repeat, [&] { return plain_read(path, "p150"); });
  rows.push_back({"plain SQLite read to a file, 150", floor_small, floor_small.median_ms, 0});
  auto add = [&](char const* what, std::string const& target, timing const& floor) {
    auto t = measure(repeat, [&] { return get(target); });
    rows.push_back({what, t, floor.median_ms, pages});
  };
  add("signature list, 150", "/api/v1/events/p150/attendance.pdf", floor_small);
  add("certificates, 150", "/api/v1/events/p150/certificates.pdf", floor_small);
  // The same with a funder's logo on every page: a PNG, then an SVG drawn by librsvg.
  auto put_logo = [&](std::string const& type, std::string const& bytes) {
    auto h = auth;
    h.emplace_back("Content-Type", type);
    if (auto r = c.request("PUT", "/api/v1/events/p150/images/funder-1", bytes, h); r.status != 200)
      throw std::runtime_error("logo: " + r.body);
  };
  put_logo("image/png", checkin::qr_png(checkin::make_qr("https://example.org/funder"), 8));
  add("certificates, 150, a PNG funder's logo", "/api/v1/events/p150/certificates.pdf", floor_small);
  put_logo("image/svg+xml", funder_svg());
  add("certificates, 150, an SVG funder's logo", "/api/v1/events/p150/certificates.pdf", floor_small);
  add("badges A4 8 a sheet, 150", "/api/v1/events/p150/badges.pdf?layout=a4-8", floor_small);
  auto after_small = memory_of(server.pid());
  auto floor_big = measure(repeat, [&] { return plain_read(path, "p1000"); });
  rows.push_back({"plain SQLite read to a file, 1,000", floor_big, floor_big.median_ms, 0});
  add("signature list, 1,000", "/api/v1/events/p1000/attendance.pdf", floor_big);
  add("badges A4 8 a sheet, 1,000", "/api/v1/events/p1000/badges.pdf?layout=a4-8", floor_big);
  add("badges A4 8 a sheet with QR codes, 1,000", "/api/v1/events/p1000/badges.pdf?layout=a4-8&qr=1", floor_big);
  add("badges for a 62 mm label printer, 1,000", "/api/v1/events/p1000/badges.pdf?layout=label-62", floor_big);
  add("certificates, 600 who came of 1,000", "/api/v1/events/p1000/certificates.pdf", floor_big);
  add("report (de), 1,000 with 240 answers", "/api/v1/events/p1000/report.pdf?lang=de", floor_big);
  auto after_big = memory_of(server.pid());

  std::printf("| %-44s | %12s | %12s | %12s | %5s | %8s |\n", "document", "median", "max", "size", "pages", "ratio");
  std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(46, '-').c_str(), std::string(14, '-').c_str(),
              std::string(14, '-').c_str(), std::string(14, '-').c_str(), std::string(7, '-').c_str(),
              std::string(10, '-').c_str());
  for (auto const& r : rows) line(r.what, r.t, r.floor, r.pages);
  std::printf("\nratio: against the plain read of the same event's rows above it\n");
  std::printf(
      "server peak memory (VmHWM, KiB): before the documents %ld, after the 150-person event's %ld (+%ld), after "
      "the 1,000-person event's %ld (+%ld more)\n",
      before.peak, after_small.peak, after_small.peak - before.peak, after_big.peak, after_big.peak - after_small.peak);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "einlass_bench_documents: %s\n", e.what());
    return 1;
  }
}
