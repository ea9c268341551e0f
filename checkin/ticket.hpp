#pragma once
// Ticket codes: the exact text inside the QR code.
//
//   base32( version(1) | key id(6) | serial(16 random bytes) | Ed25519 signature(64) )
//
// 140 characters of the QR alphanumeric set, so the code fits a version 7 symbol at level M.
// The serial makes it unguessable (128 bits from libsodium); the signature by the event's
// key lets a door device tell a genuine ticket from a forged one without the server. It
// carries no personal data and is not derived from any row id.
#include "checkin/crypto.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

inline constexpr std::size_t ticket_code_length = 140;

[[nodiscard]] std::string make_ticket_code(signing_key const& key);

// True when the code has the shape of a ticket code (length, alphabet in either case, version).
[[nodiscard]] bool is_ticket_code_shape(std::string_view code);

// True when the code is well formed and signed by the holder of `public_key`.
[[nodiscard]] bool verify_ticket_code(std::string_view code, std::string_view public_key);

// What a handheld scanner may have typed for a ticket code: the code upper-cased (a scanner
// that sends lower case), then, when it holds a Y or a Z, with the two swapped (a scanner set
// to a US keyboard on a German tablet, or the other way round). One or two readings; the
// server takes the one its database knows, the door page offline the one that is signed.
[[nodiscard]] std::vector<std::string> ticket_code_readings(std::string_view typed);

}  // namespace einlass::checkin
