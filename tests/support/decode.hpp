#pragma once
// Independent QR decoders (zbarimg from zbar-tools, ZXingReader from zxing-cpp-tools),
// run as separate programs on an image file.
#include <string>

namespace einlass::test {

// The text in the QR code of the PNG at path, as zbarimg reads it ("" when none).
[[nodiscard]] std::string zbar_decode(std::string const& png_path);
// The same, as ZXingReader reads it.
[[nodiscard]] std::string zxing_decode(std::string const& png_path);
// Writes bytes to a file.
void write_file(std::string const& path, std::string const& bytes);
// Runs a shell command and returns its standard output.
[[nodiscard]] std::string run(std::string const& command);

}  // namespace einlass::test
