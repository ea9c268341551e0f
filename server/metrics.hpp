#pragma once
// Counters for /metrics (Prometheus text format). Lock-free: every request touches them.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace einlass::server {

class metrics {
 public:
  static constexpr std::array<double, 9> buckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

  void request_done(int status, std::chrono::nanoseconds took);
  void registration(std::string_view status);  // confirmed, waitlisted, rejected
  void scan(std::string_view result);
  void mail(std::string_view outcome);  // sent, failed
  void connection_opened() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t open_connections() const { return connections_.load(); }

  // The exposition text; writer counters and the database state are passed in.
  [[nodiscard]] std::string render(std::uint64_t writer_jobs, std::uint64_t writer_commits, bool db_up) const;

 private:
  std::array<std::atomic<std::uint64_t>, 6> by_class_{};  // index: status / 100
  std::array<std::atomic<std::uint64_t>, buckets.size() + 1> latency_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::atomic<std::uint64_t> confirmed_{0}, waitlisted_{0}, rejected_{0};
  std::atomic<std::uint64_t> scans_ok_{0}, scans_repeat_{0}, scans_refused_{0};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> mails_sent_{0}, mails_failed_{0};
  std::atomic<std::uint64_t> refused_{0};
};

}  // namespace einlass::server
