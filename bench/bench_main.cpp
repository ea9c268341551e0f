// einlass_bench: registration throughput and latency over HTTP, side by side with two
// ceilings measured the same way in the same run, plus ticket QR rendering and memory.
//
//   einlass_bench [--connections 64] [--seconds 15] [--requests 30000] [--part checkins]
//   einlass_bench minimal-server      (the Beast ceiling; started by the run itself)
#include "bench/load.hpp"
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

namespace einlass::bench {
int run_minimal_server(int threads);
}

using namespace einlass;
using namespace einlass::bench;
namespace json = boost::json;

namespace {

void row(char const* what, load_result const& r) {
  std::printf("| %-44s | %9.0f /s | %7.2f ms | %7.2f ms | %6llu | %4llu |\n", what, r.rate(), r.percentile(50),
              r.percentile(99), static_cast<unsigned long long>(r.ok), static_cast<unsigned long long>(r.failed));
}

void table_head() {
  std::printf(
      "| run                                          |   rate       |   p50      |   p99      |   ok   | fail |\n");
  std::printf(
      "|----------------------------------------------|--------------|------------|------------|--------|------|\n");
}

// Runs one durable single-row transaction after another until the count or the time is up.
template <class F>
load_result transaction_loop(checkin::database& db, int seconds, std::uint64_t max_rows, F&& one_row) {
  load_result r;
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::seconds(seconds);
  for (std::uint64_t i = 0; i < max_rows && std::chrono::steady_clock::now() < deadline; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    checkin::transaction tx(db);
    one_row(i);
    tx.commit();
    r.latencies_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    ++r.ok;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

// A plain loop of single-row insert transactions into the same registrations table, with
// the durability the server uses (WAL, synchronous=FULL): what one fsync per write allows.
load_result sqlite_insert_loop(std::string const& path, int seconds, std::uint64_t max_rows) {
  checkin::database db(path);
  checkin::migrate(db);
  auto spec = test::event_spec("sqlite-loop");
  spec.erase("capacity");
  auto e = checkin::event_from_json(spec);
  {
    checkin::transaction tx(db);
    (void)checkin::create_event(db, std::move(*e), std::nullopt, checkin::now());
    tx.commit();
  }
  return transaction_loop(db, seconds, max_rows, [&](std::uint64_t i) {
    db.cached(
          "INSERT INTO registrations (event_id, status, first_name, last_name, email, email_key, organisation, "
          "organisation_type, language, answers, consent_at, consent_version, ticket_code, created_at) "
          "VALUES (1, 'confirmed', 'Lena', 'Schmidt', ?1, ?1, 'Jobcenter Leipzig', 'job_centre', 'de', '{}', "
          "'2026-11-21T10:00:00Z', 'v1', ?2, '2026-11-21T10:00:00Z')")
        .bind(1, "loop" + std::to_string(i) + "@example.org")
        .bind(2, "CODE" + std::to_string(i))
        .run();
  });
}

// The same for check-ins: single-row UPDATE transactions, one after another.
load_result sqlite_update_loop(std::string const& path, int seconds, std::uint64_t max_rows) {
  checkin::database db(path);
  {
    checkin::transaction tx(db);
    db.exec("CREATE TABLE IF NOT EXISTS seen (id INTEGER PRIMARY KEY, inside INTEGER NOT NULL, at TEXT)");
    auto ins = db.cached("INSERT INTO seen (id, inside) VALUES (?1, 0)");
    for (std::int64_t i = 1; i <= 10000; ++i) {
      ins.reset();
      ins.bind(1, i).run();
    }
    tx.commit();
  }
  return transaction_loop(db, seconds, max_rows, [&](std::uint64_t i) {
    db.cached("UPDATE seen SET inside = 1, at = ?2 WHERE id = ?1")
        .bind(1, static_cast<std::int64_t>(i % 10000 + 1))
        .bind(2, "2026-11-21T10:00:00Z")
        .run();
  });
}

std::string metric(std::uint16_t port, std::string const& name) {
  auto body = test::http_client(port).get("/metrics").body;
  auto pos = body.find("\n" + name + " ");
  if (pos == std::string::npos) return "?";
  auto start = pos + name.size() + 2;
  return body.substr(start, body.find('\n', start) - start);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "minimal-server") == 0) return run_minimal_server(2);
  auto o = parse_load_options(argc, argv, {64, 15, 30000});
  test::temp_dir dir;
  auto db = dir.file("bench.db");
  std::printf(
      "einlass_bench: %d connections, at most %llu requests or %d s per run, 2 server threads, "
      "%u hardware threads\n\n",
      o.connections, static_cast<unsigned long long>(o.requests), o.seconds, std::thread::hardware_concurrency());

  bool const all = o.part != "checkins";
  // 1. Minimal Beast server (ceiling for HTTP).
  load_result minimal;
  long minimal_rss = 0;
  if (all) {
    test::server_process p(argv[0], {"minimal-server"});
    minimal = run_load(p.port(), o.connections, o.requests * 2, std::chrono::seconds(o.seconds), [](std::uint64_t) {
      return request_spec{"GET", "/", {}, {}, 200};
    });
    minimal_rss = memory_of(p.pid()).peak;
  }

  // 2. Plain SQLite insert loop (ceiling for durable writes).
  auto loop = all ? sqlite_insert_loop(dir.file("loop.db"), o.seconds, o.requests) : load_result{};

  // 3. Registrations over HTTP against the real server.
  test::run_binary({"user", "add", "--db", db, "--email", "bench@example.org", "--role", "organiser"},
                   "bench password\n");
  auto token = test::run_binary({"token", "create", "--db", db, "--email", "bench@example.org"}).out;
  token.erase(token.find_last_not_of('\n') + 1);
  test::server_process server({"--db", db, "--quiet", "--rate-limit", "0", "--threads", "2"});
  auto port = server.port();
  std::printf("server pid %d\n", server.pid());
  std::fflush(stdout);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto idle = memory_of(server.pid());
  auto spec = test::event_spec("bench", {{"waitlist", false}});
  spec.erase("capacity");
  {
    test::http_client c(port);
    auto r = c.post_json("/api/v1/events", spec, {{"Authorization", "Bearer " + token}});
    if (r.status != 201) {
      std::fprintf(stderr, "cannot create the event: %d %s\n", r.status, r.body.c_str());
      return 1;
    }
  }
  auto jobs0 = metric(port, "einlass_writer_jobs_total"), commits0 = metric(port, "einlass_writer_commits_total");
  auto cpu0 = cpu_seconds_of(server.pid());
  auto regs =
      !all ? load_result{}
           : run_load(port, o.connections, o.requests, std::chrono::seconds(o.seconds), [](std::uint64_t i) {
               auto body = json::serialize(test::person("bench" + std::to_string(i) + "@example.org"));
               return request_spec{
                   "POST", "/api/v1/events/bench/registrations", body, {{"Content-Type", "application/json"}}, 201};
             });
  // The same at a quarter of the connections: latency when the machine is not saturated.
  auto regs16 =
      !all ? load_result{}
           : run_load(port, o.connections / 4, o.requests / 2, std::chrono::seconds(o.seconds), [&](std::uint64_t i) {
               auto body = json::serialize(test::person("quiet" + std::to_string(i) + "@example.org"));
               return request_spec{
                   "POST", "/api/v1/events/bench/registrations", body, {{"Content-Type", "application/json"}}, 201};
             });
  auto jobs = std::stod(metric(port, "einlass_writer_jobs_total")) - std::stod(jobs0);
  auto commits = std::stod(metric(port, "einlass_writer_commits_total")) - std::stod(commits0);
  auto after_regs = memory_of(server.pid());
  auto cpu_regs = cpu_seconds_of(server.pid()) - cpu0;

  // 4. The ticket QR as SVG.
  std::string code;
  if (all) {
    test::http_client c(port);
    auto r = c.post_json("/api/v1/events/bench/registrations", test::person("svg@example.org"));
    code = std::string(r.json().at("ticket").at("code").as_string());
  }
  auto svg = !all ? load_result{}
                  : run_load(port, o.connections, o.requests * 2, std::chrono::seconds(o.seconds), [&](std::uint64_t) {
                      return request_spec{"GET", "/api/v1/tickets/" + code + ".svg", {}, {}, 200};
                    });
  auto after_all = memory_of(server.pid());

  // 5. Check-ins: 10,000 tickets scanned once each from 16 devices (one connection each).
  int const devices = std::max(1, o.connections / 4);
  std::uint64_t const tickets = 10000;
  auto door_spec = test::event_spec("door", {{"waitlist", false}});
  door_spec.erase("capacity");
  std::vector<std::string> device_tokens;
  {
    test::http_client c(port);
    c.post_json("/api/v1/events", door_spec, {{"Authorization", "Bearer " + token}});
    for (int d = 0; d < devices; ++d) {
      auto r = c.post_json("/api/v1/events/door/devices", json::object{{"name", "Tür " + std::to_string(d)}},
                           {{"Authorization", "Bearer " + token}});
      device_tokens.emplace_back(r.json().at("token").as_string());
    }
  }
  (void)run_load(port, o.connections, tickets, std::chrono::seconds(60), [](std::uint64_t i) {
    auto body = json::serialize(test::person("door" + std::to_string(i) + "@example.org"));
    return request_spec{"POST", "/api/v1/events/door/registrations", body, {{"Content-Type", "application/json"}}, 201};
  });
  std::vector<std::string> codes;
  {
    checkin::database ro(db, checkin::database::mode::read_only);
    auto st = ro.prepare(
        "SELECT ticket_code FROM registrations WHERE event_id = (SELECT id FROM events WHERE slug = 'door') ORDER BY "
        "id");
    while (st.step()) codes.push_back(st.text(0));
  }
  std::printf("check-ins start\n");  // a profiler may attach now (docs/performance.md)
  std::fflush(stdout);
  auto cpu1 = cpu_seconds_of(server.pid());
  // Three passes over the tickets: in, out, in again; each scan changes state. The device is
  // chosen by the ticket, so every device is busy.
  auto scans = run_load(port, devices, codes.size() * 3, std::chrono::seconds(o.seconds * 2), [&](std::uint64_t i) {
    auto pass = i / codes.size();
    auto body = json::serialize(json::object{
        {"code", codes[i % codes.size()]}, {"type", pass == 1 ? "exit" : "entry"}, {"nonce", "b" + std::to_string(i)}});
    return request_spec{"POST",
                        "/api/v1/checkins",
                        body,
                        {{"Content-Type", "application/json"},
                         {"Authorization", "Bearer " + device_tokens[(i % codes.size()) % device_tokens.size()]}},
                        200};
  });
  auto cpu_scans = cpu_seconds_of(server.pid()) - cpu1;
  std::uint64_t admitted = 0;
  {
    checkin::database ro(db, checkin::database::mode::read_only);
    auto st = ro.prepare("SELECT count(*) FROM attendance WHERE inside = 1");
    if (st.step()) admitted = static_cast<std::uint64_t>(st.int64(0));
  }
  load_result minimal16;
  {
    test::server_process p(argv[0], {"minimal-server"});
    minimal16 = run_load(p.port(), devices, o.requests * 2, std::chrono::seconds(o.seconds), [](std::uint64_t) {
      return request_spec{"GET", "/", {}, {}, 200};
    });
  }
  auto update_loop = sqlite_update_loop(dir.file("update.db"), o.seconds, o.requests);

  if (all) {
    table_head();
    row("minimal Beast server, GET fixed JSON", minimal);
    row("SQLite loop, 1-row insert txn (WAL, FULL)", loop);
    row("einlass POST registration (WAL, FULL)", regs);
    row(("  the same at " + std::to_string(o.connections / 4) + " connections").c_str(), regs16);
    row("einlass GET ticket QR as SVG", svg);
    std::printf("\nregistrations / SQLite loop: %.2fx    registrations / minimal Beast: %.2fx\n",
                regs.rate() / loop.rate(), regs.rate() / minimal.rate());
    std::printf("group commit: %.0f registrations in %.0f commits, %.1f per commit\n", jobs, commits,
                commits > 0 ? jobs / commits : 0.0);
    std::printf("server CPU per registration: %.0f us (both runs above)\n",
                cpu_regs * 1e6 / static_cast<double>(regs.ok + regs16.ok));
    std::printf(
        "memory (peak RSS, KiB): einlass idle %ld (rss %ld), after registrations %ld, after SVG %ld; "
        "minimal Beast server %ld\n",
        idle.peak, idle.rss, after_regs.peak, after_all.peak, minimal_rss);
  }

  std::printf("\nCheck-in: %zu tickets scanned in, out and in again, %d devices (one connection each)\n\n",
              codes.size(), devices);
  table_head();
  row(("minimal Beast server, " + std::to_string(devices) + " connections").c_str(), minimal16);
  row("SQLite loop, 1-row update txn (WAL, FULL)", update_loop);
  row("einlass POST check-in (WAL, FULL)", scans);
  std::printf(
      "\ncheck-ins / SQLite loop: %.2fx    check-ins / minimal Beast: %.2fx    inside at the end: %llu of %zu\n",
      scans.rate() / update_loop.rate(), scans.rate() / minimal16.rate(), static_cast<unsigned long long>(admitted),
      codes.size());
  std::printf("server CPU per check-in: %.0f us\n",
              cpu_scans * 1e6 / static_cast<double>(std::max<std::uint64_t>(1, scans.ok)));
  std::printf("memory (peak RSS, KiB) after check-ins: %ld\n", memory_of(server.pid()).peak);
  return 0;
}
