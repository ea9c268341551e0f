#pragma once
// A closed-loop load generator: C connections, each sending its next request as soon as
// the last one is answered, bounded by a request count and a time limit.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace einlass::bench {

struct load_result {
  std::uint64_t ok = 0, failed = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;  // of the successful requests
  [[nodiscard]] double rate() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
  [[nodiscard]] double percentile(double p) const;
};

struct request_spec {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;
  int expect_status = 200;
};

// make(i) builds request number i (0-based, unique across connections).
load_result run_load(std::uint16_t port, int connections, std::uint64_t max_requests, std::chrono::seconds max_time,
                     std::function<request_spec(std::uint64_t)> const& make);

// --connections N --seconds N --requests N --part NAME, over the defaults given.
struct load_options {
  int connections = 64;
  int seconds = 15;
  std::uint64_t requests = 30000;
  std::string part = "all";  // --part checkins: only the check-in runs and their two ceilings
};
[[nodiscard]] load_options parse_load_options(int argc, char** argv, load_options defaults);

// Resident and peak memory of a process, in KiB, from /proc.
struct memory_kib {
  long rss = 0, peak = 0;
  long anon = 0, file = 0, shmem = 0;  // the parts of rss: heap and stacks, mapped files, shared memory
};
memory_kib memory_of(int pid);

// CPU time (user + system) a process has used so far, in seconds.
double cpu_seconds_of(int pid);

}  // namespace einlass::bench
