// einlass_bench_signin: does a crowd at the sign-in form slow an organiser's download? The
// review measured a CSV download at 0.03 s alone and 6 s beside a dozen sign-in clients, when
// password checks and downloads shared one small pool. Side by side in one run: the same
// downloads alone, then while N clients post wrong passwords without pause (Argon2id each).
//
//   einlass_bench_signin [--clients 12] [--downloads 20] [--people 300]
#include "bench/load.hpp"
#include "tests/support/test_server.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <regex>
#include <string>
#include <thread>

using namespace einlass;
namespace json = boost::json;

namespace {

bench::load_result downloads(test::test_server& s, int n) {
  bench::load_result r;
  auto start = std::chrono::steady_clock::now();
  auto c = s.client();
  for (int i = 0; i < n; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto res = c.get("/api/v1/events/forum/attendees.csv", s.auth());
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (res.status == 200) {
      ++r.ok;
      r.latencies_ms.push_back(ms);
    } else {
      ++r.failed;
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int clients = 12, n = 20, people = 300;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--clients")) clients = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--downloads")) n = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--people")) people = std::atoi(argv[i + 1]);
  }
  test::test_server s([](server::config& cfg) { cfg.rate_limit = 0; });
  s.create_event(test::event_spec("forum", {{"capacity", people + 10}}));
  auto c = s.client();
  for (int i = 0; i < people; ++i)
    c.post_json("/api/v1/events/forum/registrations", test::person("p" + std::to_string(i) + "@example.org"));

  auto alone = downloads(s, n);

  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> attempts{0};
  std::vector<std::thread> crowd;
  for (int i = 0; i < clients; ++i)
    crowd.emplace_back([&] {
      auto cl = s.client();
      auto page = cl.get("/admin/login");
      std::smatch m;
      std::regex_search(page.body, m, std::regex("name=\"csrf\" value=\"([^\"]*)\""));
      std::string csrf = m[1].str();
      // Bounded: stops when the downloads are done, and after 2,000 attempts at most.
      for (int k = 0; k < 2000 && !stop; ++k) {
        cl.request("POST", "/admin/login",
                   "csrf=" + csrf + "&email=organiser%40example.org&password=wrong+password+" + std::to_string(k),
                   {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", "einlass_login=" + csrf}});
        ++attempts;
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the crowd is at it
  auto t0 = std::chrono::steady_clock::now();
  auto before = attempts.load();
  auto busy = downloads(s, n);
  auto sign_ins = static_cast<double>(attempts.load() - before) /
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  stop = true;
  for (auto& t : crowd) t.join();

  std::printf("CSV download of %d registrations, %d times, alone and beside %d clients posting wrong passwords\n",
              people, n, clients);
  std::printf("| %-34s | %9s | %9s | %9s |\n", "", "p50", "p99", "max");
  std::printf("| %-34s | %6.2f ms | %6.2f ms | %6.2f ms |\n", "alone", alone.percentile(50), alone.percentile(99),
              alone.percentile(100));
  std::printf("| %-34s | %6.2f ms | %6.2f ms | %6.2f ms |\n", "beside the sign-in crowd", busy.percentile(50),
              busy.percentile(99), busy.percentile(100));
  std::printf("ratio p50 %.2f, max %.2f; sign-in attempts meanwhile: %.1f/s (Argon2id, two at a time)\n",
              busy.percentile(50) / alone.percentile(50), busy.percentile(100) / alone.percentile(100), sign_ins);
  return alone.failed + busy.failed == 0 ? 0 : 1;
}
