#pragma once
// The one writer: a thread that owns the only read-write connection and runs every
// write job in order. Jobs that queue up while a commit is on its way to disk share
// the next transaction (group commit): one fsync for many registrations, and a seat
// count that is exact because no two writes ever interleave. A job's callback runs
// only after its transaction is durably committed.
//
// Checkpoints (copying the WAL back into the database file, with an fsync of its own) run
// on a second thread and connection, so no commit ever waits for one.
#include "checkin/db.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace einlass::checkin {

class writer {
 public:
  using job = std::function<void(database&)>;
  using done = std::function<void(std::exception_ptr)>;

  // Opens its own connection to `path` (a SQLite file or a postgresql:// URL, migrated
  // already). SQLite: past `wal_restart_frames` frames (4 KiB each) the write-ahead log is
  // started afresh. PostgreSQL: each batch's transaction takes the database-wide write lock
  // first, so the writers of several servers on one database take turns as one would; a
  // lost connection is made again at the next batch.
  explicit writer(std::string const& path, std::size_t max_batch = 256, std::int64_t wal_restart_frames = 16384);
  writer(writer const&) = delete;
  writer& operator=(writer const&) = delete;
  ~writer();

  // Queues a job. Each job runs in a savepoint: one that throws rolls back only itself,
  // and its callback gets the exception. Callbacks run on the writer thread.
  void submit(job j, done d);
  // Runs the jobs already queued, then stops the thread. Later submits fail at once.
  void stop();

  struct stats {
    std::uint64_t jobs = 0, commits = 0;
    std::uint64_t wal_restarts = 0;            // times the WAL was started afresh under load
    std::chrono::microseconds longest_hold{};  // the longest wait of the writer for one
  };
  [[nodiscard]] stats counters() const;

  // Asks the checkpointer to copy the whole WAL into the database and cut the WAL file to
  // zero bytes, soon after (a purge of personal data leaves no old copy of it there). Tried
  // again each round until it succeeds; truncated() counts the successes.
  void truncate_wal();
  [[nodiscard]] std::uint64_t truncated() const;

 private:
  void run();
  void checkpoint_loop();
  // On the checkpointer, with the writer held between batches; RESTART, or TRUNCATE on request.
  void restart_wal(bool truncate = false);
  static constexpr std::chrono::milliseconds max_hold{200};  // the longest a restart may hold writes

  struct item {
    job j;
    done d;
  };
  database db_;
  std::size_t max_batch_;
  std::int64_t wal_restart_frames_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  bool stopping_ = false;
  bool idle_ = false;      // waiting for work
  bool hold_ = false;      // a WAL restart is on: start no batch
  bool truncate_ = false;  // truncate_wal() asked, not done yet
  std::uint64_t truncations_ = 0;
  std::chrono::steady_clock::time_point next_restart_{};  // the checkpointer's own
  stats stats_;
  std::optional<database> checkpoint_db_;  // SQLite only
  std::condition_variable checkpoint_wake_;
  std::thread thread_;
  std::thread checkpointer_;
};

}  // namespace einlass::checkin
