#pragma once
// Tests wait for the state they need, never for a time they guess: a sanitizer or a busy
// machine may make anything slower, and a fixed sleep is then a coin toss.
#include <chrono>
#include <thread>

namespace einlass::test {

// Polls `done` every 10 ms until it holds or `limit` has passed; whether it held.
template <class Predicate>
bool wait_until(Predicate&& done, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace einlass::test
