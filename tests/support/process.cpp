#include "tests/support/process.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill() and sigaction
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace einlass::test {

namespace {

pid_t spawn(std::vector<std::string> const& args, int in_fd, int out_fd, int err_fd, std::string bin = EINLASS_BIN) {
  std::vector<char*> argv;
  argv.push_back(bin.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  pid_t pid;
  int rc = posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + bin);
  return pid;
}

// Reads everything from fds until both close or the deadline passes.
void drain(int out, int err, std::string& o, std::string& e, std::chrono::steady_clock::time_point deadline) {
  pollfd p[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
  int open = 2;
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    if (::poll(p, 2, 200) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      auto n = ::read(p[i].fd, buf, sizeof buf);
      if (n <= 0) {
        p[i].fd = -1;
        --open;
      } else (i == 0 ? o : e).append(buf, static_cast<std::size_t>(n));
    }
  }
}

}  // namespace

std::string einlass_binary() { return EINLASS_BIN; }

run_result run_binary(std::vector<std::string> const& args, std::string const& input) {
  return run_program(EINLASS_BIN, args, input);
}

run_result run_program(std::string const& program, std::vector<std::string> const& args, std::string const& input,
                       std::chrono::seconds limit) {
  int in[2], out[2], err[2];
  // Close-on-exec, so the child holds no stray pipe end (stdin would never see EOF).
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) throw std::runtime_error("pipe");
  pid_t pid = spawn(args, in[0], out[1], err[1], program);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty() && ::write(in[1], input.data(), input.size()) < 0) throw std::runtime_error("write");
  ::close(in[1]);
  run_result r;
  drain(out[0], err[0], r.out, r.err, std::chrono::steady_clock::now() + limit);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

server_process::server_process(std::vector<std::string> args)
    : server_process(EINLASS_BIN, [&] {
        args.insert(args.begin(), "serve");
        args.emplace_back("--listen");
        args.emplace_back("127.0.0.1:0");
        return args;
      }()) {}

server_process::server_process(std::string const& binary, std::vector<std::string> args) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC)) throw std::runtime_error("pipe");
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_ = spawn(args, devnull, out[1], devnull, binary);
  ::close(out[1]);
  ::close(devnull);
  out_fd_ = out[0];
  std::regex listening(R"(listening on https?://127\.0\.0\.1:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::smatch m;
  while (!std::regex_search(banner_, m, listening)) {
    pollfd p{out_fd_, POLLIN, 0};
    if (std::chrono::steady_clock::now() > deadline || ::poll(&p, 1, 500) < 0)
      throw std::runtime_error("server did not start");
    if (p.revents & (POLLIN | POLLHUP)) {
      char buf[1024];
      auto n = ::read(out_fd_, buf, sizeof buf);
      if (n <= 0) throw std::runtime_error("server exited: " + banner_);
      banner_.append(buf, static_cast<std::size_t>(n));
    }
  }
  port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
}

server_process::~server_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) ::close(out_fd_);
}

void server_process::signal(int sig) { ::kill(pid_, sig); }

int server_process::wait() {
  int status = 0;
  for (int i = 0; i < 300; ++i) {  // 30 s at most
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    ::usleep(100 * 1000);
  }
  return -1;
}

boost::json::value python(std::string const& script, std::vector<std::string> args) {
  args.insert(args.begin(), {"-c", script});
  auto r = run_program("/usr/bin/python3", args);
  if (r.exit_code != 0) throw std::runtime_error("python: " + r.err);
  return boost::json::parse(r.out);
}

}  // namespace einlass::test
