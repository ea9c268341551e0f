#pragma once
// The HTTP(S) face: accepts connections and runs one coroutine per connection.
// Beast and Asio's sockets live only behind this header, in listener.cpp.
#include "server/app/app.hpp"
#include "server/app/router.hpp"

#include <cstdint>
#include <memory>

namespace einlass::server {

class http_server {
 public:
  http_server(app& a, router r);
  ~http_server();

  // Binds cfg.host:cfg.port (port 0 picks a free one) and starts accepting. Returns the port.
  std::uint16_t start();
  // Runs the I/O threads (cfg.threads, this one included) until shutdown has finished.
  void run();
  // Graceful: stop accepting, close idle connections, let requests in flight finish and
  // answer (with Connection: close), then return from run(). Safe from any thread.
  void shutdown();
  // shutdown() on SIGINT or SIGTERM.
  void stop_on_signals();
  // With --tls-self-signed: renews the server certificate when it has 30 days left or misses an
  // address of the machine, and serves new connections with it. True when it renewed. The
  // server calls it twice a day by itself; safe from any thread.
  bool renew_tls();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace einlass::server
