// Ticket codes as a scanner or a URL delivers them: shape check and signature verification.
#include "checkin/crypto.hpp"
#include "checkin/ticket.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  static auto const key = einlass::checkin::make_signing_key();
  auto code = einlass::fuzz::text(data, size);
  if (einlass::checkin::is_ticket_code_shape(code)) (void)einlass::checkin::verify_ticket_code(code, key.public_key);
  std::string raw;
  (void)einlass::checkin::base32_decode(code, raw);
  return 0;
}
