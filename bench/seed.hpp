#pragma once
// What the benchmarks on a big event share: seeding it by plain SQL, timing a call a few times,
// and the floor every download is held against (the same rows read and written to a file).
#include "checkin/db.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

namespace einlass::bench {

// One event with `people` registrations (three sessions, one answer each) and `arrivals` of
// them checked in by four devices over two hours; plain SQL in one transaction, the seat
// counters kept by the schema's triggers.
void seed(checkin::database& db, std::string const& slug, int people, int arrivals);

struct timing {
  double median_ms = 0, max_ms = 0;
  std::size_t bytes = 0;
};

// Runs `once` (which returns the bytes it got) `repeat` times: the median and the slowest.
template <class F>
timing measure(int repeat, F&& once) {
  using clock_type = std::chrono::steady_clock;
  std::vector<double> ms;
  timing t;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = clock_type::now();
    t.bytes = once();
    ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  t.median_ms = ms[ms.size() / 2];
  t.max_ms = ms.back();
  return t;
}

// The floor for a download: every registration row of the event read and printed to a file.
std::size_t plain_read(std::string const& path, std::string const& slug);

}  // namespace einlass::bench
