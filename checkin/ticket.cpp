#include "checkin/ticket.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace einlass::checkin {

namespace {

constexpr std::uint8_t version = 1;
constexpr std::size_t key_id_size = 6;
constexpr std::size_t serial_size = 16;
constexpr std::size_t payload_size = 1 + key_id_size + serial_size;
constexpr std::size_t code_bytes = payload_size + crypto_sign_BYTES;
static_assert((code_bytes * 8 + 4) / 5 == ticket_code_length);

}  // namespace

std::string make_ticket_code(signing_key const& key) {
  std::array<std::uint8_t, code_bytes> raw{};
  raw[0] = version;
  std::copy_n(key.public_key.begin(), key_id_size, raw.begin() + 1);
  std::string serial = random_token(0);  // initialises libsodium
  randombytes_buf(raw.data() + 1 + key_id_size, serial_size);
  crypto_sign_detached(raw.data() + payload_size, nullptr, raw.data(), payload_size,
                       reinterpret_cast<unsigned char const*>(key.secret_key.data()));
  return base32_encode(raw);
}

bool is_ticket_code_shape(std::string_view code) {
  if (code.size() != ticket_code_length) return false;
  std::string raw;
  auto upper = ticket_code_readings(code).front();  // lower case is the same code
  return base32_decode(upper, raw) && raw.size() == code_bytes && static_cast<std::uint8_t>(raw[0]) == version;
}

bool verify_ticket_code(std::string_view code, std::string_view public_key) {
  std::string raw;
  if (code.size() != ticket_code_length || !base32_decode(code, raw) || raw.size() != code_bytes ||
      public_key.size() != crypto_sign_PUBLICKEYBYTES)
    return false;
  auto const* p = reinterpret_cast<unsigned char const*>(raw.data());
  if (p[0] != version || raw.compare(1, key_id_size, public_key.substr(0, key_id_size)) != 0) return false;
  return crypto_sign_verify_detached(p + payload_size, p, payload_size,
                                     reinterpret_cast<unsigned char const*>(public_key.data())) == 0;
}

std::vector<std::string> ticket_code_readings(std::string_view typed) {
  std::string upper(typed);
  for (auto& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  std::vector<std::string> readings{upper};
  if (upper.find_first_of("YZ") != std::string::npos) {
    for (auto& c : upper)
      if (c == 'Y' || c == 'Z') c = c == 'Y' ? 'Z' : 'Y';
    readings.push_back(std::move(upper));
  }
  return readings;
}

}  // namespace einlass::checkin
