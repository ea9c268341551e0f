#include "checkin/writer.hpp"

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

using namespace einlass::checkin;
using namespace einlass::test;

namespace {
std::int64_t count(database& db, char const* sql) {
  auto st = db.prepare(sql);
  return st.step() ? st.int64(0) : -1;
}
}  // namespace

TEST(Writer, JobsQueuedTogetherShareACommit) {
  db_fixture f;
  f.db.exec("CREATE TABLE t (x INTEGER)");
  writer w(f.path);
  constexpr int jobs = 400;
  std::vector<std::promise<void>> done(jobs);
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < jobs; i += 8)
        w.submit([i](database& db) { db.cached("INSERT INTO t VALUES (?1)").bind(1, i).run(); },
                 [&done, i](std::exception_ptr e) {
                   if (e) done[static_cast<std::size_t>(i)].set_exception(e);
                   else done[static_cast<std::size_t>(i)].set_value();
                 });
    });
  for (auto& t : threads) t.join();
  for (auto& d : done) d.get_future().get();
  EXPECT_EQ(count(f.db, "SELECT count(*) FROM t"), jobs);
  auto s = w.counters();
  EXPECT_EQ(s.jobs, static_cast<std::uint64_t>(jobs));
  EXPECT_LT(s.commits, s.jobs);  // group commit happened
}

TEST(Writer, AFailingJobRollsBackOnlyItself) {
  db_fixture f;
  f.db.exec("CREATE TABLE t (x INTEGER UNIQUE)");
  writer w(f.path);
  std::promise<std::exception_ptr> first, second, third;
  auto insert = [](int v) { return [v](database& db) { db.cached("INSERT INTO t VALUES (?1)").bind(1, v).run(); }; };
  w.submit(insert(1), [&](std::exception_ptr e) { first.set_value(e); });
  w.submit(
      [](database& db) {
        db.exec("INSERT INTO t VALUES (2)");
        throw std::runtime_error("boom");
      },
      [&](std::exception_ptr e) { second.set_value(e); });
  std::promise<std::exception_ptr> fourth;
  // A statement the database refuses (PostgreSQL then refuses the rest of the transaction
  // until it is rolled back to the job's savepoint).
  w.submit(insert(1), [&](std::exception_ptr e) { fourth.set_value(e); });
  w.submit(insert(3), [&](std::exception_ptr e) { third.set_value(e); });
  EXPECT_FALSE(first.get_future().get());
  EXPECT_TRUE(second.get_future().get());
  EXPECT_TRUE(fourth.get_future().get());
  EXPECT_FALSE(third.get_future().get());
  EXPECT_EQ(count(f.db, "SELECT count(*) FROM t"), 2);
  EXPECT_EQ(count(f.db, "SELECT min(x) FROM t"), 1);
  EXPECT_EQ(count(f.db, "SELECT max(x) FROM t"), 3);
}

TEST(Writer, StopRunsWhatIsQueuedThenRefuses) {
  db_fixture f;
  f.db.exec("CREATE TABLE t (x INTEGER)");
  writer w(f.path);
  std::atomic<int> ok = 0;
  for (int i = 0; i < 50; ++i)
    w.submit([](database& db) { db.exec("INSERT INTO t VALUES (1)"); }, [&](std::exception_ptr e) { ok += e ? 0 : 1; });
  w.stop();
  EXPECT_EQ(ok, 50);
  std::exception_ptr late;
  w.submit([](database&) {}, [&](std::exception_ptr e) { late = e; });
  EXPECT_TRUE(late);
}

TEST(Writer, TheWalStartsAfreshWhileWritesAndReadsGoOnWithoutPause) {
  if (on_postgresql()) GTEST_SKIP() << "SQLite's write-ahead log";
  db_fixture f;
  f.db.exec("CREATE TABLE t (x BLOB)");
  writer w(f.path, 256, 256);  // restart past 256 frames (1 MiB)
  // A reader that always holds some snapshot, and eight writers that each queue their next
  // job as soon as the last is committed: neither ever leaves the WAL idle, as at full load.
  // Bounded: until five restarts have happened, at most 20 s or 20,000 jobs per writer.
  std::atomic<bool> stop = false;
  std::atomic<int> reads = 0;
  std::thread reader([&] {
    database db(f.path);
    while (!stop) {
      db.exec("BEGIN");  // short reads, as the server's are (count(*) over MiBs of rows is not)
      reads += count(db, "SELECT max(rowid) FROM t") >= 0;
      db.exec("COMMIT");
    }
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::atomic<int> done = 0, failed = 0;
  std::vector<std::thread> submitters;
  submitters.reserve(8);
  for (int t = 0; t < 8; ++t)
    submitters.emplace_back([&] {
      for (int i = 0; i < 20000 && w.counters().wal_restarts < 5 && std::chrono::steady_clock::now() < deadline; ++i) {
        std::promise<std::exception_ptr> committed;
        w.submit([](database& db) { db.exec("INSERT INTO t VALUES (randomblob(4000))"); },
                 [&](std::exception_ptr e) { committed.set_value(e); });
        (committed.get_future().get() ? failed : done) += 1;
      }
    });
  for (auto& t : submitters) t.join();
  w.stop();
  stop = true;
  reader.join();
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(count(f.db, "SELECT count(*) FROM t"), done.load());
  EXPECT_GT(reads, 0);
  // The WAL was begun again and again instead of growing with everything written.
  EXPECT_GE(w.counters().wal_restarts, 5u) << done << " rows written";
  EXPECT_LT(std::filesystem::file_size(f.path + "-wal"), 8u << 20) << done << " rows written";
}

TEST(Writer, ALongReadDoesNotHoldWritesForItsLength) {
  if (on_postgresql()) GTEST_SKIP() << "SQLite's write-ahead log";
  db_fixture f;
  f.db.exec("CREATE TABLE t (x BLOB)");
  writer w(f.path, 256, 64);  // restart past 64 frames: soon, and again and again
  // A reader keeps one snapshot for two seconds (as a large download does): no restart can
  // finish meanwhile. Each write is still answered quickly.
  std::promise<void> snapshot_taken;
  std::atomic<bool> reading = true;
  std::thread reader([&] {
    database db(f.path);
    db.exec("BEGIN");
    (void)count(db, "SELECT count(*) FROM t");
    snapshot_taken.set_value();
    std::this_thread::sleep_for(std::chrono::seconds(2));
    db.exec("COMMIT");
    reading = false;
  });
  snapshot_taken.get_future().wait();
  std::chrono::steady_clock::duration slowest{};
  int written = 0;
  while (reading && written < 5000) {  // bounded by the reader's two seconds
    auto start = std::chrono::steady_clock::now();
    std::promise<std::exception_ptr> committed;
    w.submit([](database& db) { db.exec("INSERT INTO t VALUES (randomblob(4000))"); },
             [&](std::exception_ptr e) { committed.set_value(e); });
    EXPECT_FALSE(committed.get_future().get());
    slowest = std::max(slowest, std::chrono::steady_clock::now() - start);
    ++written;
  }
  reader.join();
  w.stop();
  EXPECT_GT(written, 20) << "writes went on while the reader held its snapshot";
  EXPECT_LT(slowest, std::chrono::milliseconds(1000)) << "no write waited for the whole read";
  EXPECT_LT(w.counters().longest_hold, std::chrono::milliseconds(1000));
}
