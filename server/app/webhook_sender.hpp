#pragma once
// Sends the webhook deliveries the outbox holds (checkin/webhooks.hpp): a thread that claims due
// deliveries, POSTs each with its signature, and records the answer. Targets on loopback,
// private or link-local addresses are refused unless the server allows them, when the webhook
// is added and again at each delivery (the name may point elsewhere by then).
#include "checkin/webhooks.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace einlass::server {

class app;

// Empty when `url` is a webhook target this server may post to; else the reason key
// (invalid_url, private_address, unknown_host). `pinned` gets "host:port:address" for curl.
[[nodiscard]] std::string webhook_target_problem(std::string const& url, bool allow_private,
                                                 std::string* pinned = nullptr);

class webhook_sender {
 public:
  explicit webhook_sender(app& a);
  webhook_sender(webhook_sender const&) = delete;
  webhook_sender& operator=(webhook_sender const&) = delete;
  ~webhook_sender();
  void stop();

 private:
  void run();
  std::size_t send_due();
  app& app_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace einlass::server
