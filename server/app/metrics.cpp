#include "server/app/metrics.hpp"

#include <cstdio>

namespace einlass::server {

void metrics::request_done(int status, std::chrono::nanoseconds took) {
  int cls = status / 100;
  if (cls >= 1 && cls <= 5) by_class_[static_cast<std::size_t>(cls)].fetch_add(1, std::memory_order_relaxed);
  double s = std::chrono::duration<double>(took).count();
  std::size_t i = 0;
  while (i < buckets.size() && s > buckets[i]) ++i;
  latency_[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(took.count() / 1000), std::memory_order_relaxed);
}

void metrics::registration(std::optional<checkin::reg_status> status) {
  using checkin::reg_status;
  (status == reg_status::confirmed    ? confirmed_
   : status == reg_status::waitlisted ? waitlisted_
                                      : rejected_)
      .fetch_add(1, std::memory_order_relaxed);
}

void metrics::scan(checkin::scan_result result) {
  using checkin::scan_result;
  (result == scan_result::ok || result == scan_result::checked_out ? scans_ok_
   : result == scan_result::already_checked_in                     ? scans_repeat_
                                                                   : scans_refused_)
      .fetch_add(1, std::memory_order_relaxed);
}

void metrics::mail(std::string_view outcome) {
  (outcome == "sent" ? mails_sent_ : mails_failed_).fetch_add(1, std::memory_order_relaxed);
}

namespace {

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6f", v);
  return b;
}

}  // namespace

// One block per metric family, in the order /metrics prints them: long, but a list.
std::string metrics::render(process_state const& p) const {
  std::string out;
  // One metric family: its help, its type, and each sample as {labels, value}.
  auto family = [&](std::string_view name, std::string_view type, std::string_view help,
                    std::initializer_list<std::pair<std::string, std::string>> samples) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    for (auto const& [labels, value] : samples) out.append(name).append(labels).append(" ").append(value).append("\n");
  };
  auto n = [](auto const& v) { return std::to_string(v); };
  auto const c = [&](int cls) { return n(by_class_[static_cast<std::size_t>(cls)].load()); };
  family("einlass_http_requests_total", "counter", "HTTP requests answered, by status class.",
         {{"{code=\"1xx\"}", c(1)},
          {"{code=\"2xx\"}", c(2)},
          {"{code=\"3xx\"}", c(3)},
          {"{code=\"4xx\"}", c(4)},
          {"{code=\"5xx\"}", c(5)}});
  out.append("# HELP einlass_http_request_duration_seconds Time from a complete request to its response.\n");
  out.append("# TYPE einlass_http_request_duration_seconds histogram\n");
  std::uint64_t cumulative = 0;
  char le[32];
  for (std::size_t i = 0; i <= buckets.size(); ++i) {
    cumulative += latency_[i].load();
    if (i < buckets.size()) std::snprintf(le, sizeof le, "%g", buckets[i]);
    out += "einlass_http_request_duration_seconds_bucket{le=\"" + std::string(i < buckets.size() ? le : "+Inf") +
           "\"} " + n(cumulative) + "\n";
  }
  out +=
      "einlass_http_request_duration_seconds_sum " + number(static_cast<double>(latency_sum_us_.load()) / 1e6) + "\n";
  out += "einlass_http_request_duration_seconds_count " + n(cumulative) + "\n";
  family("einlass_registrations_total", "counter", "Registrations decided, by outcome.",
         {{"{status=\"confirmed\"}", n(confirmed_.load())},
          {"{status=\"waitlisted\"}", n(waitlisted_.load())},
          {"{status=\"rejected\"}", n(rejected_.load())}});
  family("einlass_scans_total", "counter", "Door scans decided, by kind of result.",
         {{"{result=\"admitted\"}", n(scans_ok_.load())},
          {"{result=\"already_checked_in\"}", n(scans_repeat_.load())},
          {"{result=\"refused\"}", n(scans_refused_.load())}});
  family("einlass_connections_refused_total", "counter", "Connections closed on arrival: over --max-connections.",
         {{"", n(refused_.load())}});
  family("einlass_mail_attempts_total", "counter", "E-mails handed to the mail server, by outcome.",
         {{"{outcome=\"sent\"}", n(mails_sent_.load())}, {"{outcome=\"failed\"}", n(mails_failed_.load())}});
  family("einlass_open_connections", "gauge", "Client connections open now.", {{"", n(connections_.load())}});
  family("einlass_http_requests_in_progress", "gauge", "Requests begun (head read) and not yet answered.",
         {{"", n(in_progress_.load())}});
  family("einlass_connections_accepted_total", "counter", "Client connections accepted since start.",
         {{"", n(accepted_.load())}});
  family("einlass_writer_jobs_total", "counter", "Write jobs run by the single writer.", {{"", n(p.writer_jobs)}});
  family("einlass_writer_commits_total", "counter", "Transactions committed by the writer (group commits).",
         {{"", n(p.writer_commits)}});
  family("einlass_wal_restarts_total", "counter", "Times the write-ahead log was started afresh while writes went on.",
         {{"", n(p.wal_restarts)}});
  family("einlass_writer_longest_hold_seconds", "gauge",
         "The longest time writes waited for a restart of the write-ahead log.", {{"", number(p.longest_writer_hold)}});
  family("einlass_database_up", "gauge", "1 when the database answers.", {{"", p.db_up ? "1" : "0"}});
  family("einlass_database_read_connections", "gauge", "SQLite connections kept open for reading.",
         {{"", n(p.db_connections)}});
  family("einlass_sqlite_memory_bytes", "gauge", "Memory SQLite holds now (page caches, statements, schema).",
         {{"", n(p.sqlite_bytes)}});
  family("einlass_sqlite_memory_peak_bytes", "gauge", "The most memory SQLite has held since the start.",
         {{"", n(p.sqlite_peak_bytes)}});
  family("einlass_heap_bytes", "gauge",
         "Memory of the process heap, handed out (in_use) or held free by the allocator.",
         {{"{state=\"in_use\"}", n(p.heap_in_use)}, {"{state=\"free\"}", n(p.heap_free)}});
  return out;
}

}  // namespace einlass::server
