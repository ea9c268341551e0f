// einlass_bench_stats: the organiser's statistics and downloads on a big event.
//
//   einlass_bench_stats [--registrations 100000] [--checkins 60000] [--repeat 5] [--seed-only DB]
//
// Seeds one event of the given size and one a tenth of it into the same database, starts
// the real server on it, and measures over HTTP, side by side in one run:
//   - the stats call against GET /healthz (an HTTP round trip with one trivial query);
//   - the CSV, XLSX and JSON downloads against a plain SQLite read of the same rows written
//     to a file (the floor for any export);
//   - the server's peak memory (VmHWM) before and after downloading the small and then the
//     big event: a streaming export does not need more memory for the bigger one.
#include "bench/load.hpp"
#include "bench/seed.hpp"
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "checkin/store.hpp"
#include "checkin/users.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

using namespace einlass;
using namespace einlass::bench;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

namespace {

void line(char const* what, timing const& t, double floor_ms) {
  std::printf("| %-40s | %9.1f ms | %9.1f ms | %10.2f MiB | %7.1fx |\n", what, t.median_ms, t.max_ms,
              static_cast<double>(t.bytes) / (1024.0 * 1024.0), floor_ms > 0 ? t.median_ms / floor_ms : 0.0);
}

int run(int argc, char** argv) {
  int people = 100000, arrivals = 60000, repeat = 5;
  bool seed_only = false;
  test::temp_dir dir;
  auto path = dir.file("stats.db");
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--seed-only") {  // leaves the seeded database at the given path, for looking into
      path = argv[i + 1];
      seed_only = true;
    }
    if (k == "--registrations") people = std::stoi(argv[i + 1]);
    else if (k == "--checkins") arrivals = std::stoi(argv[i + 1]);
    else if (k == "--repeat") repeat = std::max(1, std::stoi(argv[i + 1]));
  }
  std::string token;
  auto seeded_in = clock_type::now();
  {
    checkin::database db(path);
    checkin::migrate(db);
    auto u = checkin::upsert_user(db, "bench@example.org", "organiser", "bench password");
    token = checkin::create_api_token(db, u.id);
    seed(db, "big", people, arrivals);
    seed(db, "small", people / 10, arrivals / 10);
  }
  std::printf(
      "einlass_bench_stats: event 'big' %d registrations, %d check-ins; 'small' a tenth; seeded in %.1f s; "
      "median of %d runs\n\n",
      people, arrivals, std::chrono::duration<double>(clock_type::now() - seeded_in).count(), repeat);
  if (seed_only) return 0;

  test::server_process server({"--db", path, "--quiet", "--rate-limit", "0", "--threads", "2"});
  std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + token}};
  test::http_client c(server.port());
  auto get = [&](std::string const& target) {
    auto r = c.get(target, auth);
    if (r.status != 200) {
      std::fprintf(stderr, "%s: %d %s\n", target.c_str(), r.status, r.body.substr(0, 200).c_str());
      std::exit(1);
    }
    return r.body.size();
  };
  get("/api/v1/events/big/stats");  // warm the page cache as a live dashboard would
  get("/api/v1/events/small/stats");
  auto before = memory_of(server.pid());

  auto health = measure(repeat * 4, [&] { return get("/healthz"); });
  auto stats_big = measure(repeat * 4, [&] { return get("/api/v1/events/big/stats"); });
  auto stats_small = measure(repeat * 4, [&] { return get("/api/v1/events/small/stats"); });
  auto floor_small = measure(repeat, [&] { return plain_read(path, "small"); });
  auto csv_small = measure(repeat, [&] { return get("/api/v1/events/small/attendees.csv"); });
  auto xlsx_small = measure(repeat, [&] { return get("/api/v1/events/small/attendees.xlsx"); });
  auto json_small = measure(repeat, [&] { return get("/api/v1/events/small/attendees.json"); });
  auto after_small = memory_of(server.pid());
  auto floor_big = measure(repeat, [&] { return plain_read(path, "big"); });
  auto csv_big = measure(repeat, [&] { return get("/api/v1/events/big/attendees.csv"); });
  auto xlsx_big = measure(repeat, [&] { return get("/api/v1/events/big/attendees.xlsx"); });
  auto json_big = measure(repeat, [&] { return get("/api/v1/events/big/attendees.json"); });
  auto stats_csv = measure(repeat, [&] { return get("/api/v1/events/big/stats.csv"); });
  auto stats_xlsx = measure(repeat, [&] { return get("/api/v1/events/big/stats.xlsx"); });
  auto after_big = memory_of(server.pid());

  std::printf("| %-40s | %12s | %12s | %14s | %8s |\n", "call", "median", "max", "size", "ratio");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(14, '-').c_str(),
              std::string(14, '-').c_str(), std::string(16, '-').c_str(), std::string(10, '-').c_str());
  line("GET /healthz (floor for a call)", health, health.median_ms);
  line("stats, big event", stats_big, health.median_ms);
  line("stats, small event", stats_small, health.median_ms);
  line("plain SQLite read to a file, small", floor_small, floor_small.median_ms);
  line("attendees.csv, small", csv_small, floor_small.median_ms);
  line("attendees.xlsx, small", xlsx_small, floor_small.median_ms);
  line("attendees.json, small", json_small, floor_small.median_ms);
  line("plain SQLite read to a file, big", floor_big, floor_big.median_ms);
  line("attendees.csv, big", csv_big, floor_big.median_ms);
  line("attendees.xlsx, big", xlsx_big, floor_big.median_ms);
  line("attendees.json, big", json_big, floor_big.median_ms);
  line("stats.csv, big", stats_csv, stats_big.median_ms);
  line("stats.xlsx, big", stats_xlsx, stats_big.median_ms);
  std::printf(
      "\nratio: against the floor above it (healthz for calls, the plain read for downloads, the stats call "
      "for stats downloads)\n");
  std::printf(
      "server peak memory (VmHWM, KiB): before downloads %ld, after the small event's %ld (+%ld), "
      "after the big event's %ld (+%ld more)\n",
      before.peak, after_small.peak, after_small.peak - before.peak, after_big.peak, after_big.peak - after_small.peak);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (std::exception const& e) {
    std::fprintf(stderr, "einlass_bench_stats: %s\n", e.what());
    return 1;
  }
}
