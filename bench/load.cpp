#include "bench/load.hpp"

#include "tests/support/http_client.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <sstream>

#include <unistd.h>
#include <mutex>
#include <thread>

namespace einlass::bench {

double load_result::percentile(double p) const {
  if (latencies_ms.empty()) return 0;
  auto v = latencies_ms;
  auto k = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

load_result run_load(std::uint16_t port, int connections, std::uint64_t max_requests, std::chrono::seconds max_time,
                     std::function<request_spec(std::uint64_t)> const& make) {
  std::atomic<std::uint64_t> next = 0, ok = 0, failed = 0;
  std::mutex m;
  load_result result;
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + max_time;
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c)
    threads.emplace_back([&] {
      test::http_client client(port);
      std::vector<double> mine;
      mine.reserve(static_cast<std::size_t>(max_requests / static_cast<std::uint64_t>(connections) + 1));
      for (;;) {
        auto i = next++;
        if (i >= max_requests || std::chrono::steady_clock::now() >= deadline) break;
        auto spec = make(i);
        auto t0 = std::chrono::steady_clock::now();
        try {
          auto r = client.request(spec.method, spec.target, spec.body, spec.headers);
          auto t1 = std::chrono::steady_clock::now();
          if (r.status == spec.expect_status) {
            ++ok;
            mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
          } else {
            ++failed;
          }
        } catch (std::exception const&) {
          ++failed;
        }
      }
      std::lock_guard lock(m);
      result.latencies_ms.insert(result.latencies_ms.end(), mine.begin(), mine.end());
    });
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.ok = ok;
  result.failed = failed;
  return result;
}

memory_kib memory_of(int pid) {
  memory_kib m;
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.starts_with("VmRSS:")) m.rss = std::stol(line.substr(6));
    if (line.starts_with("VmHWM:")) m.peak = std::stol(line.substr(6));
    if (line.starts_with("RssAnon:")) m.anon = std::stol(line.substr(8));
    if (line.starts_with("RssFile:")) m.file = std::stol(line.substr(8));
    if (line.starts_with("RssShmem:")) m.shmem = std::stol(line.substr(9));
  }
  return m;
}

double cpu_seconds_of(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto after = stat.rfind(')');  // the command name may hold spaces
  std::istringstream rest(stat.substr(after + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

load_options parse_load_options(int argc, char** argv, load_options o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--connections") o.connections = std::stoi(argv[i + 1]);
    else if (k == "--seconds") o.seconds = std::stoi(argv[i + 1]);
    else if (k == "--requests") o.requests = std::stoull(argv[i + 1]);
    else if (k == "--part") o.part = argv[i + 1];
  }
  return o;
}

}  // namespace einlass::bench
