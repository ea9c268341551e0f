#pragma once
// Files that hold personal data or secrets (the database and its -wal/-shm, backups, mail
// files, TLS keys) are readable by their owner only: created 0600, and tightened to 0600
// when an earlier version left them open to others.
#include <string>

namespace einlass::checkin {

// Creates `path` empty with mode 0600 when it does not exist; when it does, is ours and is
// open to group or others, sets it to 0600. Throws std::runtime_error when it cannot create it.
void keep_private(std::string const& path);

// Writes `bytes` to a temporary file of mode 0600 beside `path` and renames it there, so
// a reader never sees half a file. Empty on success, else why not.
[[nodiscard]] std::string write_private(std::string const& path, std::string_view bytes);

}  // namespace einlass::checkin
