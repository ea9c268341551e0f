#include "checkin/db.hpp"

#include "checkin/files.hpp"

#include <sqlite3.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

namespace einlass::checkin {

db_error::db_error(int code, std::string const& what, bool storage)
    : std::runtime_error(what), code_(code), storage_(storage) {}
db_error::db_error(int code, std::string const& what)
    : std::runtime_error(what), code_(code), storage_(is_storage_failure(code)) {}

namespace sql {
std::string json_ids(engine e, int param) {
  auto p = "?" + std::to_string(param);
  return e == engine::postgresql ? "SELECT value::bigint FROM json_array_elements_text(" + p + "::json)"
                                 : "SELECT value FROM json_each(" + p + ")";
}
std::string hex(engine e, std::string_view blob) {
  return e == engine::postgresql ? "encode(" + std::string(blob) + ", 'hex')" : "lower(hex(" + std::string(blob) + "))";
}
std::string_view like(engine e) noexcept { return e == engine::postgresql ? " ILIKE " : " LIKE "; }
std::string_view random_hex(engine e) noexcept {
  // gen_random_uuid() draws from PostgreSQL's strong random source; its six fixed bits
  // leave 122 random ones, plenty for a message id.
  return e == engine::postgresql ? "replace(gen_random_uuid()::text, '-', '')" : "lower(hex(randomblob(16)))";
}
}  // namespace sql

bool is_postgresql_url(std::string_view target) noexcept {
  return target.starts_with("postgresql://") || target.starts_with("postgres://");
}

namespace {

[[noreturn]] void throw_db_error(sqlite3* db, int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw db_error(rc, msg);
}

class sqlite_statement final : public detail::statement_impl {
 public:
  sqlite_statement(sqlite3* db, std::string_view sql, bool persistent) : db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_db_error(db, rc, "prepare");
  }
  sqlite_statement(sqlite_statement const&) = delete;
  sqlite_statement& operator=(sqlite_statement const&) = delete;
  ~sqlite_statement() override { sqlite3_finalize(stmt_); }

  void bind_text(int index, std::string_view value) override {
    // An empty view may have no data pointer, which SQLite would bind as NULL: text stays text.
    check(sqlite3_bind_text(stmt_, index, value.data() ? value.data() : "", static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
  }
  void bind_int64(int index, std::int64_t value) override { check(sqlite3_bind_int64(stmt_, index, value)); }
  void bind_null(int index) override { check(sqlite3_bind_null(stmt_, index)); }
  void bind_blob(int index, void const* data, std::size_t size) override {
    check(sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_TRANSIENT));
  }

  bool step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_db_error(db_, rc, "step");
  }
  void reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  [[nodiscard]] int columns() const override { return sqlite3_data_count(stmt_); }
  [[nodiscard]] bool is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  [[nodiscard]] std::int64_t int64(int col) const override { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] std::string text(int col) const override {
    auto p = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  [[nodiscard]] std::string blob(int col) const override {
    auto p = static_cast<char const*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class sqlite_connection final : public detail::connection {
 public:
  sqlite_connection(std::string const& path, database::mode m) {
    // The file holds password hashes, signing keys and personal data. SQLite gives its -wal
    // and -shm the database file's mode, so creating that 0600 keeps all three private.
    bool on_disk = m == database::mode::read_write && !path.empty() && path != ":memory:" && !path.starts_with("file:");
    if (on_disk)
      for (auto const* suffix : {"", "-wal", "-shm"})
        if (*suffix == 0 || std::filesystem::exists(path + suffix)) keep_private(path + suffix);
    int flags = m == database::mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;  // one connection is used by one thread at a time
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = "cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw db_error(rc, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    // FULL: a commit is on disk before we answer, so an acknowledged write survives
    // a killed process and a power loss. Group commit in the writer pays for it.
    if (m == database::mode::read_write) into_wal();
    // secure_delete: deleted personal data is overwritten in the file, not left in free pages.
    exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON");
  }
  sqlite_connection(sqlite_connection const&) = delete;
  sqlite_connection& operator=(sqlite_connection const&) = delete;
  ~sqlite_connection() override { sqlite3_close_v2(db_); }

  [[nodiscard]] checkin::engine engine() const noexcept override { return engine::sqlite; }
  // A new file switches to WAL with an exclusive lock, and SQLite answers "locked" at once,
  // without its busy handler, while another connection does the same (two servers starting on
  // one new file). Tried again for as long as the busy timeout: the second finds WAL set.
  void into_wal() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_timeout_ms);
    for (;;) {
      try {
        exec("PRAGMA journal_mode=WAL");
        return;
      } catch (db_error const& e) {
        if ((e.code() & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      // Which statement: its start, so a log line says what was refused.
      auto head = s.substr(0, std::min(s.find('\n'), std::size_t{60}));
      throw db_error(rc, "exec (" + head + "): " + msg);
    }
  }
  [[nodiscard]] std::unique_ptr<detail::statement_impl> prepare(std::string_view sql, bool persistent) override {
    return std::make_unique<sqlite_statement>(db_, sql, persistent);
  }
  [[nodiscard]] int changes() const override { return sqlite3_changes(db_); }
  void begin_write() override { exec("BEGIN IMMEDIATE"); }
  void begin_read() override { exec("BEGIN"); }
  [[nodiscard]] bool in_transaction() const override { return sqlite3_get_autocommit(db_) == 0; }

  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  struct wal_hook {
    void (*hook)(void*, int);
    void* context;
  };
  wal_hook hook{};  // where SQLite's callback finds it

 private:
  sqlite3* db_ = nullptr;
};

sqlite_connection* sqlite_of(detail::connection* c) {
  return c->engine() == engine::sqlite ? static_cast<sqlite_connection*>(c) : nullptr;
}

}  // namespace

database::database(std::string const& target, mode m) : path_(target) {
  if (is_postgresql_url(target)) {
    impl_ = detail::open_postgresql(target);
    engine_ = engine::postgresql;
  } else {
    impl_ = std::make_unique<sqlite_connection>(target, m);
  }
}

database::database(database&& other) noexcept
    : impl_(std::move(other.impl_)),
      engine_(other.engine_),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

database::~database() { cache_.clear(); }

query database::cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end())
    it = cache_.emplace(std::string(sql), std::make_unique<statement>(impl_->prepare(sql, true))).first;
  it->second->reset();
  return query(*it->second);
}

void database::reconnect() {
  cache_.clear();  // prepared on the connection that is gone
  impl_->reconnect();
}

void database::backup_to(std::string const& path) const {
  auto* src = sqlite_of(impl_.get());
  if (!src)
    throw db_error(generic_db_error(),
                   "einlass backup copies SQLite files; back up PostgreSQL with pg_dump (docs/scaling.md)");
  database dst(path);
  auto* to = sqlite_of(dst.impl_.get());
  sqlite3_backup* b = sqlite3_backup_init(to->handle(), "main", src->handle(), "main");
  if (!b) throw_db_error(to->handle(), sqlite3_errcode(to->handle()), "backup");
  // Small steps, so a running server's writer is never held up for long.
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw_db_error(to->handle(), rc, "backup");
}

std::string database::integrity_check() {
  if (!sqlite_of(impl_.get()))
    throw db_error(generic_db_error(), "the integrity check is SQLite's; PostgreSQL has pg_amcheck");
  std::string found;
  auto q = prepare("PRAGMA integrity_check");
  while (q.step()) found += (found.empty() ? "" : "; ") + q.text(0);
  return found;
}

void database::on_wal_commit(void (*hook)(void*, int), void* context) {
  auto* c = sqlite_of(impl_.get());
  if (!c) return;
  c->hook = {hook, context};
  sqlite3_wal_hook(
      c->handle(),
      [](void* h, sqlite3*, char const*, int frames) {
        auto const& w = *static_cast<sqlite_connection::wal_hook const*>(h);
        w.hook(w.context, frames);
        return SQLITE_OK;
      },
      &c->hook);
}

void database::set_busy_timeout(int ms) {
  if (auto* c = sqlite_of(impl_.get())) sqlite3_busy_timeout(c->handle(), ms);
}

transaction::transaction(database& db) : db_(db) { db_.begin_write(); }

transaction::~transaction() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK");
    } catch (...) {
      // The transaction is gone already (e.g. after an I/O error); nothing to undo.
    }
  }
}

void transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

savepoint::savepoint(database& db, std::string name) : db_(db), name_(std::move(name)), outer_(!db.in_transaction()) {
  if (outer_) db_.begin_read();
  else db_.exec("SAVEPOINT " + name_);
}

savepoint::~savepoint() {
  if (!done_) {
    try {
      db_.exec(outer_ ? "ROLLBACK" : "ROLLBACK TO " + name_ + "; RELEASE " + name_);
    } catch (...) {
      // The enclosing transaction is gone already (an I/O error); nothing to undo.
    }
  }
}

void savepoint::release() {
  db_.exec(outer_ ? "COMMIT" : "RELEASE " + name_);
  done_ = true;
}

int generic_db_error() noexcept { return SQLITE_ERROR; }
int constraint_db_error() noexcept { return SQLITE_CONSTRAINT; }
int busy_db_error() noexcept { return SQLITE_BUSY; }
int io_db_error() noexcept { return SQLITE_IOERR; }

sqlite_memory sqlite_memory_now() noexcept { return {sqlite3_memory_used(), sqlite3_memory_highwater(0)}; }

bool is_storage_failure(int code) noexcept {
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL: return true;
    default: return false;
  }
}

namespace {

std::string user_name(uid_t uid) {
  if (auto const* pw = ::getpwuid(uid)) return pw->pw_name;
  return std::to_string(uid);
}

}  // namespace

std::string unwritable_reason(std::string const& path) {
  namespace fs = std::filesystem;
  if (is_postgresql_url(path)) return {};
  auto folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  std::vector<std::string> files{path, path + "-wal", path + "-shm"};
  for (auto const& f : files) {
    struct stat st {};
    if (::stat(f.c_str(), &st) != 0) continue;  // not there (yet): SQLite makes it in the folder
    if (::access(f.c_str(), W_OK) == 0) continue;
    if (errno == EROFS) return f + " is on a read-only file system";
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return f + " is read-only for this process (it runs as " + user_name(::geteuid()) + "; the file belongs to " +
           user_name(st.st_uid) + ", mode " + mode + ")";
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    if (errno == ENOENT) return {};  // opening reports the missing folder
    if (errno == EROFS) return folder.string() + " is on a read-only file system";
    return "the folder " + folder.string() + " is read-only for this process (it runs as " + user_name(::geteuid()) +
           "; SQLite keeps its -wal and -shm files there)";
  }
  return {};
}

}  // namespace einlass::checkin
