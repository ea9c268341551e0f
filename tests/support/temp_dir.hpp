#pragma once
// A fresh temporary folder, removed with everything in it at the end.
#include <filesystem>
#include <string>

namespace einlass::test {

class temp_dir {
 public:
  temp_dir();
  temp_dir(temp_dir const&) = delete;
  temp_dir& operator=(temp_dir const&) = delete;
  ~temp_dir();
  [[nodiscard]] std::filesystem::path const& path() const { return path_; }
  [[nodiscard]] std::string file(std::string const& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace einlass::test
