#include "tests/support/temp_dir.hpp"

#include "checkin/crypto.hpp"

namespace einlass::test {

temp_dir::temp_dir() : path_(std::filesystem::temp_directory_path() / ("einlass-test-" + checkin::random_token(8))) {
  std::filesystem::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace einlass::test
