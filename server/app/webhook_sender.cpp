#include "server/app/webhook_sender.hpp"

#include "server/app/app.hpp"
#include "server/http/log.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <boost/url/parse.hpp>

#include <future>
#include <memory>

namespace einlass::server {

using namespace checkin;

namespace {

// Loopback, private, link-local, shared (CGNAT), multicast and unspecified addresses.
bool is_private(sockaddr const* sa) {
  if (sa->sa_family == AF_INET) {
    auto a = ntohl(reinterpret_cast<sockaddr_in const*>(sa)->sin_addr.s_addr);
    auto in = [a](std::uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0a000000, 8) || in(0x7f000000, 8) || in(0xa9fe0000, 16) || in(0xac100000, 12) ||
           in(0xc0a80000, 16) || in(0x64400000, 10) || in(0xe0000000, 4) || a == 0xffffffff;
  }
  auto const& b = reinterpret_cast<sockaddr_in6 const*>(sa)->sin6_addr.s6_addr;
  static constexpr unsigned char zero[15] = {};
  bool loopback_or_any = std::equal(zero, zero + 15, b) && (b[15] == 0 || b[15] == 1);
  bool mapped = std::equal(zero, zero + 10, b) && b[10] == 0xff && b[11] == 0xff;
  if (mapped) {  // ::ffff:a.b.c.d is the IPv4 address
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    std::memcpy(&v4.sin_addr, b + 12, 4);
    return is_private(reinterpret_cast<sockaddr const*>(&v4));
  }
  return loopback_or_any || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || b[0] == 0xff;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  auto& s = *static_cast<std::string*>(out);
  if (s.size() < 500) s.append(data, std::min(size * n, 500 - s.size()));
  return size * n;
}

// POSTs the body; the receiver's status (0: no answer) and the start of its answer or the error.
std::pair<int, std::string> post(webhook_delivery const& d, std::string const& pinned) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return {0, "no curl"};
  std::string answer;
  auto signature = "X-Einlass-Signature: " + webhook_signature(d.secret, d.payload);
  auto kind = "X-Einlass-Event: " + d.kind;
  auto id = "X-Einlass-Delivery: " + std::to_string(d.id);
  curl_slist* headers = nullptr;
  for (auto const* h :
       {"Content-Type: application/json", "User-Agent: Einlass-Webhook/1", signature.c_str(), kind.c_str(), id.c_str()})
    headers = curl_slist_append(headers, h);
  curl_slist* resolve = pinned.empty() ? nullptr : curl_slist_append(nullptr, pinned.c_str());
  auto* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, d.url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, d.payload.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(d.payload.size()));
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect could lead anywhere
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  if (resolve) curl_easy_setopt(c, CURLOPT_RESOLVE, resolve);
  auto rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_slist_free_all(resolve);
  if (rc != CURLE_OK) return {0, curl_easy_strerror(rc)};
  return {static_cast<int>(status), answer};
}

}  // namespace

std::string webhook_target_problem(std::string const& url, bool allow_private, std::string* pinned) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->encoded_host().empty() || url.size() > 2000 ||
      u->has_userinfo())
    return "invalid_url";
  std::string host(u->host_address());
  std::string port = u->has_port() ? std::string(u->port()) : (u->scheme() == "https" ? "443" : "80");
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || !found) return "unknown_host";
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
  // Every address the name has must be allowed: curl may pick any of them.
  for (auto* a = found; a; a = a->ai_next)
    if (!allow_private && is_private(a->ai_addr)) return "private_address";
  if (pinned) {
    char text[INET6_ADDRSTRLEN] = {};
    void const* addr = found->ai_family == AF_INET
                           ? static_cast<void const*>(&reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr)
                           : static_cast<void const*>(&reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr);
    ::inet_ntop(found->ai_family, addr, text, sizeof text);
    auto shown = found->ai_family == AF_INET6 ? "[" + std::string(text) + "]" : std::string(text);
    *pinned = host + ":" + port + ":" + shown;
  }
  return {};
}

webhook_sender::webhook_sender(app& a) : app_(a), thread_([this] { run(); }) {}

webhook_sender::~webhook_sender() { stop(); }

void webhook_sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::size_t webhook_sender::send_due() {
  {  // A look on a reading connection first: the writer is not troubled while nothing is due.
    app::reader db(app_);
    auto next = next_delivery_due(*db);
    if (!next || *next > now()) return 0;
  }
  std::vector<webhook_delivery> due;
  app_.write_and_wait([&](database& db) { due = claim_due_deliveries(db, now(), 20); });
  for (auto const& d : due) {
    std::string pinned;
    auto problem = webhook_target_problem(d.url, app_.cfg().allow_private_webhooks, &pinned);
    // Not a structured binding: clang (tidy) does not let a lambda capture one.
    auto const reply = problem.empty() ? post(d, pinned) : std::pair{0, "refused: " + problem};
    auto const status = reply.first;
    auto const& answer = reply.second;
    auto base = std::chrono::seconds(std::max(1, app_.cfg().webhook_retry_seconds));
    app_.write_and_wait([&](database& db) { settle_delivery(db, d.id, status, answer, now(), base); });
  }
  return due.size();
}

void webhook_sender::run() {
  for (;;) {
    std::size_t sent = 0;
    try {
      sent = send_due();
    } catch (std::exception const& e) {
      log_error(std::string("webhook sender: ") + e.what());
    }
    std::unique_lock lock(mutex_);
    // Again at once after a full round, else within a second: a delivery goes out at most a
    // second after its change, and no write of the server's has to wake this thread.
    if (sent < 20) cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_; });
    if (stop_) return;
  }
}

}  // namespace einlass::server
