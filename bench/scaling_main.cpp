// einlass_bench_scaling: registrations/s and check-ins/s over HTTP on SQLite (one server) and
// on PostgreSQL with one and with three servers, in one run, beside each engine's own ceiling:
// SQLite's single-row insert loop and pgbench running single-row inserts into PostgreSQL.
// PostgreSQL is a cluster of its own, started here with Debian's defaults (fsync on).
//
//   einlass_bench_scaling [--connections 48] [--seconds 10] [--requests 20000]
#include "bench/load.hpp"
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "checkin/users.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/specs.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <thread>

using namespace einlass;
using namespace einlass::bench;
namespace json = boost::json;

namespace {

std::string const postgres_script = std::string(EINLASS_TESTS_DIR) + "/support/postgres";

// The same load spread over several servers (a balancer's round robin), summed.
load_result spread(std::vector<std::uint16_t> const& ports, int connections, std::uint64_t requests,
                   std::chrono::seconds limit, std::function<request_spec(std::uint64_t)> const& make) {
  std::vector<std::future<load_result>> parts;
  auto n = ports.size();
  for (std::size_t k = 0; k < n; ++k)
    parts.push_back(std::async(std::launch::async, [&, k] {
      return run_load(ports[k], std::max(1, connections / static_cast<int>(n)), requests / n, limit,
                      [&, k](std::uint64_t i) { return make(i * n + k); });
    }));
  load_result sum;
  for (auto& p : parts) {
    auto r = p.get();
    sum.ok += r.ok;
    sum.failed += r.failed;
    sum.seconds = std::max(sum.seconds, r.seconds);
    sum.latencies_ms.insert(sum.latencies_ms.end(), r.latencies_ms.begin(), r.latencies_ms.end());
  }
  return sum;
}

struct measured {
  load_result registrations, checkins;
};

// An organiser's token, made straight in the database.
std::string organiser_token(std::string const& target) {
  checkin::database db(target);
  checkin::migrate(db);
  auto u = checkin::upsert_user(db, "bench@example.org", "organiser", "bench password long");
  return checkin::create_api_token(db, u.id);
}

measured run_servers(std::string const& target, std::size_t servers, load_options const& o, std::string const& tag) {
  auto token = organiser_token(target);
  std::vector<std::unique_ptr<test::server_process>> procs;
  std::vector<std::uint16_t> ports;
  for (std::size_t i = 0; i < servers; ++i) {
    procs.push_back(std::make_unique<test::server_process>(
        std::vector<std::string>{"--db", target, "--quiet", "--rate-limit", "0", "--threads", "2"}));
    ports.push_back(procs.back()->port());
  }
  test::http_client admin(ports[0]);
  json::array devices;
  for (auto const* slug : {"reg", "door"}) {
    auto spec = test::event_spec(tag + slug, {{"waitlist", false}});
    spec.erase("capacity");
    admin.post_json("/api/v1/events", spec, {{"Authorization", "Bearer " + token}});
  }
  measured m;
  m.registrations = spread(ports, o.connections, o.requests, std::chrono::seconds(o.seconds), [&](std::uint64_t i) {
    auto body = json::serialize(test::person(tag + std::to_string(i) + "@example.org"));
    return request_spec{
        "POST", "/api/v1/events/" + tag + "reg/registrations", body, {{"Content-Type", "application/json"}}, 201};
  });

  // Check-ins: 4,000 tickets scanned once each, 12 devices.
  std::vector<std::string> tokens;
  for (int d = 0; d < 12; ++d) {
    auto r =
        admin.post_json("/api/v1/events/" + tag + "door/devices", json::object{{"name", "Tür " + std::to_string(d)}},
                        {{"Authorization", "Bearer " + token}});
    tokens.emplace_back(r.json().at("token").as_string());
  }
  constexpr std::uint64_t tickets = 4000;
  (void)spread(ports, o.connections, tickets, std::chrono::seconds(120), [&](std::uint64_t i) {
    auto body = json::serialize(test::person(tag + "door" + std::to_string(i) + "@example.org"));
    return request_spec{
        "POST", "/api/v1/events/" + tag + "door/registrations", body, {{"Content-Type", "application/json"}}, 201};
  });
  std::vector<std::string> codes;
  {
    checkin::database db(target);
    auto st = db.prepare(
        "SELECT ticket_code FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = ?1 ORDER BY r.id");
    st.bind(1, tag + "door");
    while (st.step()) codes.push_back(st.text(0));
  }
  m.checkins = spread(
      ports, static_cast<int>(tokens.size()), codes.size(), std::chrono::seconds(o.seconds * 2), [&](std::uint64_t i) {
        auto body =
            json::serialize(json::object{{"code", codes[i % codes.size()]}, {"nonce", "b" + std::to_string(i)}});
        return request_spec{
            "POST",
            "/api/v1/checkins",
            body,
            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + tokens[i % tokens.size()]}},
            200};
      });
  return m;
}

// pgbench: `clients` sessions each running single-row insert transactions for `seconds`.
double pgbench_inserts(std::string const& dir, int port, int clients, int seconds) {
  auto script = dir + "/insert.sql";
  std::ofstream(script) << "\\set r random(1, 1000000000)\n"
                           "INSERT INTO bench_rows (email, at) VALUES ('p' || :client_id || '-' || :r || "
                           "'@example.org', now()::text);\n";
  auto bin = test::run_program("/usr/bin/bash", {"-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1"}).out;
  bin.erase(bin.find_last_not_of('\n') + 1);
  auto r =
      test::run_program(bin + "/pgbench",
                        {"-n", "-h", "127.0.0.1", "-p", std::to_string(port), "-U", "postgres", "-c",
                         std::to_string(clients), "-j", "2", "-T", std::to_string(seconds), "-f", script, "postgres"},
                        {}, std::chrono::seconds(seconds + 60));
  std::smatch m;
  if (std::regex_search(r.out, m, std::regex(R"(tps = ([0-9.]+))"))) return std::stod(m[1]);
  std::fprintf(stderr, "pgbench: %s %s\n", r.out.c_str(), r.err.c_str());
  return 0;
}

// SQLite's single-row insert transactions, one after another (WAL, synchronous=FULL).
double sqlite_inserts(std::string const& path, int seconds) {
  checkin::database db(path);
  db.exec("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, email TEXT NOT NULL, at TEXT NOT NULL)");
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::seconds(seconds);
  std::uint64_t n = 0;
  for (; n < 1000000 && std::chrono::steady_clock::now() < deadline; ++n) {
    checkin::transaction tx(db);
    db.run("INSERT INTO bench_rows (email, at) VALUES (?1, '2026-12-02T10:00:00Z')",
           "p" + std::to_string(n) + "@example.org");
    tx.commit();
  }
  return static_cast<double>(n) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void row(char const* what, load_result const& r, double ceiling) {
  std::printf("| %-38s | %8.0f /s | %7.2f ms | %7.2f ms | %6llu | %4llu | %5.2fx |\n", what, r.rate(), r.percentile(50),
              r.percentile(99), static_cast<unsigned long long>(r.ok), static_cast<unsigned long long>(r.failed),
              ceiling > 0 ? r.rate() / ceiling : 0.0);
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse_load_options(argc, argv, {48, 10, 20000});
  test::temp_dir dir;
  auto pg_dir = dir.file("pg");
  if (test::run_program("/usr/bin/bash", {postgres_script, "start", pg_dir, "durable"}).exit_code != 0) {
    std::fprintf(stderr, "cannot start PostgreSQL\n");
    return 1;
  }
  struct stop_at_end {
    std::string dir;
    ~stop_at_end() { test::run_program("/usr/bin/bash", {postgres_script, "stop", dir}); }
  } stopper{pg_dir};
  int port = 0;
  std::ifstream(pg_dir + "/port") >> port;
  auto url = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";
  std::printf("einlass_bench_scaling: %d connections, at most %llu requests or %d s per run, %u hardware threads\n",
              o.connections, static_cast<unsigned long long>(o.requests), o.seconds,
              std::thread::hardware_concurrency());
  std::printf("PostgreSQL 15 on 127.0.0.1 (fsync on, synchronous_commit on); SQLite WAL, synchronous=FULL\n\n");

  auto sqlite_loop = sqlite_inserts(dir.file("loop.db"), o.seconds);
  {
    checkin::database db(url);
    db.exec("CREATE TABLE bench_rows (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, email text, at text)");
  }
  auto pg_one = pgbench_inserts(dir.path().string(), port, 1, o.seconds);
  auto pg_many = pgbench_inserts(dir.path().string(), port, 16, o.seconds);

  auto on_sqlite = run_servers(dir.file("einlass.db"), 1, o, "s");
  auto pg1 = run_servers(url, 1, o, "a");
  auto pg3 = run_servers(url, 3, o, "b");

  std::printf(
      "| run                                    |   rate      |   p50      |   p99      |   ok   | fail | of ceiling "
      "|\n");
  std::printf(
      "|----------------------------------------|-------------|------------|------------|--------|------|--------|\n");
  std::printf(
      "| SQLite loop, 1-row insert txn          | %8.0f /s |            |            |        |      |        |\n",
      sqlite_loop);
  std::printf(
      "| pgbench, 1-row insert txn, 1 client    | %8.0f /s |            |            |        |      |        |\n",
      pg_one);
  std::printf(
      "| pgbench, 1-row insert txn, 16 clients  | %8.0f /s |            |            |        |      |        |\n",
      pg_many);
  row("SQLite, 1 server: registrations", on_sqlite.registrations, sqlite_loop);
  row("PostgreSQL, 1 server: registrations", pg1.registrations, pg_many);
  row("PostgreSQL, 3 servers: registrations", pg3.registrations, pg_many);
  row("SQLite, 1 server: check-ins", on_sqlite.checkins, sqlite_loop);
  row("PostgreSQL, 1 server: check-ins", pg1.checkins, pg_many);
  row("PostgreSQL, 3 servers: check-ins", pg3.checkins, pg_many);
  std::printf("\n3 servers / 1 server on PostgreSQL: registrations %.2fx, check-ins %.2fx\n",
              pg3.registrations.rate() / std::max(1.0, pg1.registrations.rate()),
              pg3.checkins.rate() / std::max(1.0, pg1.checkins.rate()));
  std::printf("PostgreSQL 1 server / SQLite 1 server: registrations %.2fx, check-ins %.2fx\n",
              pg1.registrations.rate() / std::max(1.0, on_sqlite.registrations.rate()),
              pg1.checkins.rate() / std::max(1.0, on_sqlite.checkins.rate()));
  return 0;
}
