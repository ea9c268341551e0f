#include "server/metrics.hpp"

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

void metrics::registration(std::string_view status) {
  (status == "confirmed" ? confirmed_ : status == "waitlisted" ? waitlisted_ : rejected_)
      .fetch_add(1, std::memory_order_relaxed);
}

void metrics::scan(std::string_view result) {
  (result == "ok" || result == "checked_out" ? scans_ok_
   : result == "already_checked_in"         ? scans_repeat_
                                            : scans_refused_)
      .fetch_add(1, std::memory_order_relaxed);
}

void metrics::mail(std::string_view outcome) {
  (outcome == "sent" ? mails_sent_ : mails_failed_).fetch_add(1, std::memory_order_relaxed);
}

std::string metrics::render(std::uint64_t writer_jobs, std::uint64_t writer_commits, bool db_up) const {
  std::string out;
  auto line = [&](std::string const& s) { out += s + '\n'; };
  line("# HELP einlass_http_requests_total HTTP requests answered, by status class.");
  line("# TYPE einlass_http_requests_total counter");
  for (int c = 1; c <= 5; ++c)
    line("einlass_http_requests_total{code=\"" + std::to_string(c) + "xx\"} " +
         std::to_string(by_class_[static_cast<std::size_t>(c)].load()));
  line("# HELP einlass_http_request_duration_seconds Time from a complete request to its response.");
  line("# TYPE einlass_http_request_duration_seconds histogram");
  std::uint64_t cumulative = 0;
  char le[32];
  for (std::size_t i = 0; i <= buckets.size(); ++i) {
    cumulative += latency_[i].load();
    if (i < buckets.size()) std::snprintf(le, sizeof le, "%g", buckets[i]);
    line("einlass_http_request_duration_seconds_bucket{le=\"" + std::string(i < buckets.size() ? le : "+Inf") +
         "\"} " + std::to_string(cumulative));
  }
  char sum[32];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(latency_sum_us_.load()) / 1e6);
  line("einlass_http_request_duration_seconds_sum " + std::string(sum));
  line("einlass_http_request_duration_seconds_count " + std::to_string(cumulative));
  line("# HELP einlass_registrations_total Registrations decided, by outcome.");
  line("# TYPE einlass_registrations_total counter");
  line("einlass_registrations_total{status=\"confirmed\"} " + std::to_string(confirmed_.load()));
  line("einlass_registrations_total{status=\"waitlisted\"} " + std::to_string(waitlisted_.load()));
  line("einlass_registrations_total{status=\"rejected\"} " + std::to_string(rejected_.load()));
  line("# HELP einlass_scans_total Door scans decided, by kind of result.");
  line("# TYPE einlass_scans_total counter");
  line("einlass_scans_total{result=\"admitted\"} " + std::to_string(scans_ok_.load()));
  line("einlass_scans_total{result=\"already_checked_in\"} " + std::to_string(scans_repeat_.load()));
  line("einlass_scans_total{result=\"refused\"} " + std::to_string(scans_refused_.load()));
  line("# HELP einlass_connections_refused_total Connections closed on arrival: over --max-connections.");
  line("# TYPE einlass_connections_refused_total counter");
  line("einlass_connections_refused_total " + std::to_string(refused_.load()));
  line("# HELP einlass_mail_attempts_total E-mails handed to the mail server, by outcome.");
  line("# TYPE einlass_mail_attempts_total counter");
  line("einlass_mail_attempts_total{outcome=\"sent\"} " + std::to_string(mails_sent_.load()));
  line("einlass_mail_attempts_total{outcome=\"failed\"} " + std::to_string(mails_failed_.load()));
  line("# HELP einlass_open_connections Client connections open now.");
  line("# TYPE einlass_open_connections gauge");
  line("einlass_open_connections " + std::to_string(connections_.load()));
  line("# HELP einlass_writer_jobs_total Write jobs run by the single writer.");
  line("# TYPE einlass_writer_jobs_total counter");
  line("einlass_writer_jobs_total " + std::to_string(writer_jobs));
  line("# HELP einlass_writer_commits_total Transactions committed by the writer (group commits).");
  line("# TYPE einlass_writer_commits_total counter");
  line("einlass_writer_commits_total " + std::to_string(writer_commits));
  line("# HELP einlass_database_up 1 when the database answers.");
  line("# TYPE einlass_database_up gauge");
  line("einlass_database_up " + std::string(db_up ? "1" : "0"));
  return out;
}

}  // namespace einlass::server
