#pragma once
// Counters for /metrics (Prometheus text format). Lock-free: every request touches them.
#include "checkin/checkins.hpp"
#include "checkin/registration.hpp"

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
  void registration(std::optional<checkin::reg_status> status);  // nullopt: rejected
  void scan(checkin::scan_result result);
  void mail(std::string_view outcome);  // sent, failed
  void connection_opened() {
    connections_.fetch_add(1, std::memory_order_relaxed);
    accepted_.fetch_add(1, std::memory_order_relaxed);
  }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_relaxed); }
  void connection_refused() { refused_.fetch_add(1, std::memory_order_relaxed); }
  // A request whose head has arrived and that is not answered yet (its body may still be on the way).
  void request_started() { in_progress_.fetch_add(1, std::memory_order_relaxed); }
  void request_finished() { in_progress_.fetch_sub(1, std::memory_order_relaxed); }
  [[nodiscard]] std::int64_t requests_in_progress() const { return in_progress_.load(); }
  // Counts one request in progress for its lifetime (nothing when given null).
  class in_progress {
   public:
    explicit in_progress(metrics* m) : m_(m) {
      if (m_) m_->request_started();
    }
    in_progress(in_progress const&) = delete;
    in_progress& operator=(in_progress const&) = delete;
    ~in_progress() {
      if (m_) m_->request_finished();
    }

   private:
    metrics* m_;
  };
  [[nodiscard]] std::int64_t open_connections() const { return connections_.load(); }
  [[nodiscard]] std::uint64_t accepted_connections() const { return accepted_.load(); }

  // What the rest of the process reports at the time of a scrape.
  struct process_state {
    std::uint64_t writer_jobs = 0, writer_commits = 0;
    std::uint64_t wal_restarts = 0;
    double longest_writer_hold = 0;  // seconds
    bool db_up = false;
    std::size_t db_connections = 0;  // open read connections (the writer's not counted)
    std::int64_t sqlite_bytes = 0, sqlite_peak_bytes = 0;
    std::uint64_t heap_in_use = 0, heap_free = 0;  // malloc: handed out, and held but free
  };
  // The exposition text.
  [[nodiscard]] std::string render(process_state const& p) const;

 private:
  std::array<std::atomic<std::uint64_t>, 6> by_class_{};  // index: status / 100
  std::array<std::atomic<std::uint64_t>, buckets.size() + 1> latency_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::atomic<std::uint64_t> confirmed_{0}, waitlisted_{0}, rejected_{0};
  std::atomic<std::uint64_t> scans_ok_{0}, scans_repeat_{0}, scans_refused_{0};
  std::atomic<std::int64_t> connections_{0}, in_progress_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> mails_sent_{0}, mails_failed_{0};
  std::atomic<std::uint64_t> refused_{0};
};

}  // namespace einlass::server
