#include "checkin/writer.hpp"

#include <chrono>
#include <vector>

namespace einlass::checkin {

writer::writer(std::string const& path, std::size_t max_batch, std::int64_t wal_restart_frames)
    : db_(path), max_batch_(max_batch), wal_restart_frames_(wal_restart_frames) {
  // PostgreSQL checkpoints by itself; the write-ahead log below is SQLite's.
  if (db_.engine() == engine::sqlite) {
    checkpoint_db_.emplace(path);
    db_.exec("PRAGMA wal_autocheckpoint = 0");
    // A WAL that was reset is cut back to this size on disk.
    db_.exec("PRAGMA journal_size_limit = 67108864");
    // After each commit: a WAL past the limit wakes the checkpointer at once rather than at
    // its next round (a fast writer can put tens of MiB into the WAL in one).
    db_.on_wal_commit(
        [](void* self, int frames) {
          auto& w = *static_cast<writer*>(self);
          if (frames > w.wal_restart_frames_) w.checkpoint_wake_.notify_one();
        },
        this);
    checkpointer_ = std::thread([this] { checkpoint_loop(); });
  }
  thread_ = std::thread([this] { run(); });
}

void writer::checkpoint_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    checkpoint_wake_.wait_for(lock, std::chrono::milliseconds(250));
    lock.unlock();
    try {
      // PASSIVE never blocks the writer or a reader; what it cannot copy yet, it copies next time.
      auto passive = checkpoint_db_->prepare("PRAGMA wal_checkpoint(PASSIVE)");
      std::int64_t frames = passive.step() ? passive.int64(1) : 0;
      passive.reset();
      // Under load without pause some reader always holds a snapshot, so the WAL is never
      // started afresh and would grow without end (gigabytes in minutes at full load). Past
      // 16,384 frames (64 MiB), RESTART waits until readers are on the database file and lets
      // the next commit begin the WAL again. It also needs a moment without a writer, which a
      // writer committing back to back never leaves (the WAL then reached 280 MiB in a soak):
      // the writer holds its next batch until the restart is done, a few milliseconds, since
      // PASSIVE has already copied nearly everything.
      // After one that could not finish (a reader kept an old snapshot), writes go on
      // undisturbed for a second before the next try.
      bool truncate;
      {
        std::lock_guard guard(mutex_);
        truncate = truncate_;
      }
      if (truncate) restart_wal(true);
      else if (frames > wal_restart_frames_ && std::chrono::steady_clock::now() >= next_restart_) restart_wal();
    } catch (db_error const&) {
      // Busy or I/O trouble: the WAL only grows until the next try; commits are unaffected.
    }
    lock.lock();
  }
}

void writer::truncate_wal() {
  std::lock_guard lock(mutex_);
  truncate_ = true;
  checkpoint_wake_.notify_one();
}

std::uint64_t writer::truncated() const {
  std::lock_guard lock(mutex_);
  return truncations_;
}

void writer::restart_wal(bool truncate) {
  {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  auto start = std::chrono::steady_clock::now();
  // Writes wait at most this long: a reader that keeps an old snapshot (a long download) makes
  // the restart give up, and the writer goes on; it is tried again at the next round.
  checkpoint_db_->set_busy_timeout(static_cast<int>(max_hold.count()));
  bool restarted = false;
  try {
    auto st = checkpoint_db_->prepare(truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(RESTART)");
    restarted = st.step() && st.int64(0) == 0;  // the first column is 1 when it could not finish
  } catch (db_error const&) {}
  checkpoint_db_->set_busy_timeout(busy_timeout_ms);
  auto end = std::chrono::steady_clock::now();
  auto held = std::chrono::duration_cast<std::chrono::microseconds>(end - start);
  if (!restarted) next_restart_ = end + std::chrono::seconds(1);
  {
    std::lock_guard lock(mutex_);
    hold_ = false;
    stats_.wal_restarts += restarted && !truncate ? 1 : 0;
    if (truncate && restarted) {
      truncate_ = false;
      ++truncations_;
    }
    stats_.longest_hold = std::max(stats_.longest_hold, held);
  }
  wake_.notify_one();
}

writer::~writer() { stop(); }

void writer::submit(job j, done d) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(j), std::move(d)});
      // A busy writer takes the queue when its commit is done: waking it costs a syscall.
      if (idle_) wake_.notify_one();
      return;
    }
  }
  d(std::make_exception_ptr(std::runtime_error("the writer is stopped")));
}

void writer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
    checkpoint_wake_.notify_one();
  }
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  if (checkpointer_.joinable()) checkpointer_.join();
}

writer::stats writer::counters() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void writer::run() {
  std::vector<item> batch;
  std::vector<std::exception_ptr> errors;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      idle_ = true;
      wake_.wait(lock, [&] { return (stopping_ || !queue_.empty()) && !hold_; });
      idle_ = false;
      if (queue_.empty()) return;  // stopping, and everything queued has run
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    errors.assign(batch.size(), nullptr);
    try {
      // PostgreSQL restarted or failed over: this batch connects afresh (or fails as storage,
      // a 503 with Retry-After), and so does every later one until the server is back.
      if (db_.broken()) db_.reconnect();
      transaction tx(db_);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
          savepoint one(db_, "job");
          batch[i].j(db_);
          one.release();
        } catch (...) {
          errors[i] = std::current_exception();  // the savepoint has undone the job
        }
      }
      tx.commit();
    } catch (...) {
      // The commit (or the rollback of a job) failed: nothing of this batch is on disk.
      auto e = std::current_exception();
      for (auto& err : errors) err = e;
    }
    {
      std::lock_guard lock(mutex_);
      stats_.jobs += batch.size();
      stats_.commits += 1;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].d(errors[i]);
    batch.clear();
  }
}

}  // namespace einlass::checkin
