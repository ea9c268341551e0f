#include "checkin/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace einlass::checkin {

namespace {

int open_private(std::string const& path, int flags) {
  int fd;
  do fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
  while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

void keep_private(std::string const& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return;  // unwritable_reason() and SQLite say what is wrong
    int fd = open_private(path, O_WRONLY | O_CREAT | O_EXCL);
    if (fd < 0 && errno != EEXIST) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return;
  }
  if (st.st_uid == ::geteuid() && (st.st_mode & 077) != 0) ::chmod(path.c_str(), st.st_mode & 0700);
}

std::string write_private(std::string const& path, std::string_view bytes) {
  auto tmp = path + ".tmp";
  int fd = open_private(tmp, O_WRONLY | O_CREAT | O_TRUNC);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  ::fchmod(fd, 0600);  // an older .tmp left with a wider mode
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = "cannot write " + tmp + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(tmp.c_str());
      return why;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = "cannot write " + path + ": " + std::strerror(errno);
    ::unlink(tmp.c_str());
    return why;
  }
  return {};
}

}  // namespace einlass::checkin
