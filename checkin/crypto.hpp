#pragma once
// Randomness, hashing and signatures, all from libsodium.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace einlass::checkin {

// RFC 4648 base32, upper case, no padding: survives QR alphanumeric mode, URLs and
// keyboard-wedge scanners alike.
[[nodiscard]] std::string base32_encode(std::span<const std::uint8_t> bytes);
// Returns false on a character outside the alphabet or a length no encoding yields.
[[nodiscard]] inline std::string base32_encode(std::string_view bytes) {
  return base32_encode({reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()});
}
[[nodiscard]] bool base32_decode(std::string_view text, std::string& out);

// A fresh secret of `bytes` random bytes, base32.
[[nodiscard]] std::string random_token(std::size_t bytes = 32);
// What is stored for a token: BLAKE2b-256 of it, so a leaked database reveals no token.
[[nodiscard]] std::string token_hash(std::string_view token);

// SHA-256 of a ticket code, the first 16 bytes in lower-case hex: how a door tablet names a
// ticket in its offline list (the browser computes the same with crypto.subtle.digest).
[[nodiscard]] std::string ticket_code_hash(std::string_view code);

// Argon2id, libsodium's interactive limits.
[[nodiscard]] std::string password_hash(std::string_view password);
[[nodiscard]] bool password_verify(std::string_view hash, std::string_view password);

struct signing_key {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
};
[[nodiscard]] signing_key make_signing_key();

}  // namespace einlass::checkin
