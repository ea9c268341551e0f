#include "checkin/db.hpp"

#include "checkin/files.hpp"

#include <sqlite3.h>

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace einlass::checkin {

void throw_db_error(sqlite3* db, int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  throw db_error(rc, msg);
}

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) throw_db_error(db, rc, "prepare");
}

statement::~statement() { sqlite3_finalize(stmt_); }

statement& statement::bind(int index, std::string_view value) {
  // An empty view may have no data pointer, which SQLite would bind as NULL: text stays text.
  int rc = sqlite3_bind_text(stmt_, index, value.data() ? value.data() : "", static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

statement& statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

statement& statement::bind(int index, std::nullopt_t) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

statement& statement::bind_blob(int index, void const* data, std::size_t size) {
  int rc = sqlite3_bind_blob(stmt_, index, data, static_cast<int>(size), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

bool statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_db_error(db_, rc, "step");
}

void statement::run() {
  while (step()) {}
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int statement::columns() const { return sqlite3_data_count(stmt_); }

bool statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string statement::text(int col) const {
  auto p = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::optional<std::string> statement::optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

std::optional<std::int64_t> statement::optional_int64(int col) const {
  if (is_null(col)) return std::nullopt;
  return int64(col);
}

std::string statement::blob(int col) const {
  auto p = static_cast<char const*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

database::database(std::string const& path, mode m) : path_(path) {
  // The file holds password hashes, signing keys and personal data. SQLite gives its -wal
  // and -shm the database file's mode, so creating that 0600 keeps all three private.
  bool on_disk = m == mode::read_write && !path.empty() && path != ":memory:" && !path.starts_with("file:");
  if (on_disk)
    for (auto const* suffix : {"", "-wal", "-shm"})
      if (*suffix == 0 || std::filesystem::exists(path + suffix)) keep_private(path + suffix);
  int flags = m == mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
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
  if (m == mode::read_write) exec("PRAGMA journal_mode=WAL");
  // secure_delete: deleted personal data is overwritten in the file, not left in free pages.
  exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON");
}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)),
      wal_hook_(std::move(other.wal_hook_)) {}

database::~database() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

void database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw db_error(rc, "exec: " + msg);
  }
}

query database::cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) it = cache_.emplace(std::string(sql), std::make_unique<statement>(db_, sql)).first;
  it->second->reset();
  return query(*it->second);
}

void database::backup_to(std::string const& path) const {
  database dst(path);
  sqlite3_backup* b = sqlite3_backup_init(dst.db_, "main", db_, "main");
  if (!b) throw_db_error(dst.db_, sqlite3_errcode(dst.db_), "backup");
  // Small steps, so a running server's writer is never held up for long.
  int rc;
  do {
    rc = sqlite3_backup_step(b, 256);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) throw_db_error(dst.db_, rc, "backup");
}

void database::on_wal_commit(void (*hook)(void*, int), void* context) {
  wal_hook_ = std::make_unique<wal_hook>(wal_hook{hook, context});
  sqlite3_wal_hook(
      db_,
      [](void* h, sqlite3*, char const*, int frames) {
        auto const& w = *static_cast<wal_hook const*>(h);
        w.hook(w.context, frames);
        return SQLITE_OK;
      },
      wal_hook_.get());
}

void database::set_busy_timeout(int ms) { sqlite3_busy_timeout(db_, ms); }

std::int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int database::changes() const { return sqlite3_changes(db_); }

transaction::transaction(database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

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

savepoint::savepoint(database& db, std::string name) : db_(db), name_(std::move(name)) {
  db_.exec("SAVEPOINT " + name_);
}

savepoint::~savepoint() {
  if (!done_) {
    try {
      db_.exec("ROLLBACK TO " + name_ + "; RELEASE " + name_);
    } catch (...) {
      // The enclosing transaction is gone already (an I/O error); nothing to undo.
    }
  }
}

void savepoint::release() {
  db_.exec("RELEASE " + name_);
  done_ = true;
}

int generic_db_error() noexcept { return SQLITE_ERROR; }

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
