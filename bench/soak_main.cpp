// einlass_soak: a long mixed load (registrations, ticket pages, check-ins and exits, the
// stats call) against the real server, with its memory after the first round and at the end.
//
//   einlass_soak [--seconds 600] [--warmup 60] [--connections 16]
//
// The same load runs for --warmup seconds first: SQLite's page caches (2 MiB per connection)
// fill as the database grows, and a run measured from its first seconds would count that.
// Memory growth is measured from the end of the warm-up to the end of the --seconds that
// follow; every answer, warm-up included, must be the expected one.
#include "bench/load.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace einlass;
using namespace einlass::bench;
namespace json = boost::json;

namespace {

// One series from the server's /metrics text; -1 when it is not there.
long gauge(std::string const& text, std::string const& series) {
  return static_cast<long>(test::metric(text, series).value_or(-1));
}

}  // namespace

int main(int argc, char** argv) {
  int seconds = 600, warmup = 60, connections = 16;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--seconds") seconds = std::max(20, std::stoi(argv[i + 1]));
    else if (k == "--warmup") warmup = std::max(0, std::stoi(argv[i + 1]));
    else if (k == "--connections") connections = std::max(1, std::stoi(argv[i + 1]));
  }
  test::temp_dir dir;
  auto db = dir.file("soak.db");
  test::run_binary({"user", "add", "--db", db, "--email", "soak@example.org", "--role", "organiser"},
                   "soak password\n");
  auto token = test::run_binary({"token", "create", "--db", db, "--email", "soak@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  test::server_process server(
      {"--db", db, "--quiet", "--rate-limit", "0", "--threads", "2", "--mail-dir", dir.file("mail")});
  auto port = server.port();
  std::vector<std::pair<std::string, std::string>> auth{{"Authorization", "Bearer " + token}};
  test::http_client c(port);
  auto spec = test::event_spec(
      "soak", {{"sessions", json::array{json::object{{"title", "AG 1"}}, json::object{{"title", "AG 2"}}}}});
  spec.erase("capacity");
  if (c.post_json("/api/v1/events", spec, auth).status != 201) return 1;
  auto device = c.post_json("/api/v1/events/soak/devices", json::object{{"name", "Tür"}}, auth).json();
  std::string device_auth = "Bearer " + std::string(device.at("token").as_string());
  // People to look at and scan: registered before the clock starts.
  std::vector<std::string> codes;
  for (int i = 0; i < 2000; ++i) {
    auto r = c.post_json("/api/v1/events/soak/registrations", test::person("pre" + std::to_string(i) + "@example.org"));
    if (r.status != 201) return 1;
    codes.emplace_back(r.json().at("ticket").at("code").as_string());
  }

  std::printf(
      "einlass_soak: %d s warm-up, then %d s of mixed load on %d connections (4 in 10 registrations, 2 ticket "
      "pages, 3 check-ins or exits, 1 stats call)\n\n| round | requests/s | p99 | failed | RSS KiB | anonymous | files "
      "| shared | heap in use | heap free "
      "| SQLite | read connections | WAL MiB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
      warmup, seconds, connections);
  std::uint64_t base = 0, failed = 0, total = 0;
  long rss_start = 0, rss_middle = 0, rss_last = 0;
  int const warm_rounds = warmup / 10, rounds = seconds / 10;
  for (int round = -warm_rounds; round < rounds; ++round) {
    std::string type = round % 2 ? "exit" : "entry";
    auto r = run_load(port, connections, 1000000, std::chrono::seconds(10), [&](std::uint64_t i) {
      auto n = base + i;
      auto kind = n % 10;
      if (kind < 4) {
        auto body = json::serialize(test::person("soak" + std::to_string(n) + "@example.org"));
        return request_spec{
            "POST", "/api/v1/events/soak/registrations", body, {{"Content-Type", "application/json"}}, 201};
      }
      auto const& code = codes[n % codes.size()];
      if (kind < 6) return request_spec{"GET", "/t/" + code, {}, {}, 200};
      if (kind < 9) {
        auto body = json::serialize(json::object{{"code", code}, {"type", type}, {"nonce", "s" + std::to_string(n)}});
        return request_spec{"POST",
                            "/api/v1/checkins",
                            body,
                            {{"Content-Type", "application/json"}, {"Authorization", device_auth}},
                            200};
      }
      return request_spec{"GET", "/api/v1/events/soak/stats", {}, {{"Authorization", "Bearer " + token}}, 200};
    });
    base += r.ok + r.failed + 1000;
    failed += r.failed;
    total += r.ok + r.failed;
    auto mem = memory_of(server.pid());
    if (round == -1 || (round == 0 && warm_rounds == 0)) rss_start = mem.rss;
    if (round == rounds / 2 - 1) rss_middle = mem.rss;
    rss_last = mem.rss;
    auto label = round < 0 ? "warm-up " + std::to_string(round + warm_rounds + 1) : std::to_string(round + 1);
    auto m = c.get("/metrics").body;
    std::error_code ec;
    auto wal = std::filesystem::file_size(db + "-wal", ec);
    std::printf("| %s | %.0f | %.2f ms | %llu | %ld | %ld | %ld | %ld | %ld | %ld | %ld | %ld | %.0f |\n",
                label.c_str(), r.rate(), r.percentile(99), static_cast<unsigned long long>(r.failed), mem.rss, mem.anon,
                mem.file, mem.shmem, gauge(m, "einlass_heap_bytes{state=\"in_use\"}") / 1024,
                gauge(m, "einlass_heap_bytes{state=\"free\"}") / 1024, gauge(m, "einlass_sqlite_memory_bytes") / 1024,
                gauge(m, "einlass_database_read_connections"), ec ? 0.0 : static_cast<double>(wal) / (1 << 20));
    std::fflush(stdout);
  }
  auto m = c.get("/metrics").body;
  std::printf("\nWAL restarts under load: %ld, the longest wait of the writer for one: %.1f ms\n",
              gauge(m, "einlass_wal_restarts_total"),
              1000 * test::metric(m, "einlass_writer_longest_hold_seconds").value_or(-0.001));
  auto percent = [](long from, long to) {
    return from ? 100.0 * static_cast<double>(to - from) / static_cast<double>(from) : 0;
  };
  double growth = percent(rss_start, rss_last);
  std::printf(
      "\n%llu requests, %llu failed; RSS at the start (after the warm-up) %ld KiB, at the end %ld KiB: %+.1f%% "
      "(second half %+.1f%%; peak %ld KiB)\n",
      static_cast<unsigned long long>(total), static_cast<unsigned long long>(failed), rss_start, rss_last, growth,
      percent(rss_middle, rss_last), memory_of(server.pid()).peak);
  return failed == 0 && growth < 5.0 ? 0 : 1;
}
