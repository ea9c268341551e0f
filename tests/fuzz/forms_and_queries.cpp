// Form bodies and request targets (path and query string), decoded as the server does, and a
// form read as a registration.
#include "checkin/registration.hpp"
#include "server/http/http.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  auto s = einlass::fuzz::text(data, size);
  einlass::server::fields form;
  if (einlass::server::parse_form(s, form)) {
    auto in = einlass::checkin::registration_from_form(form, einlass::fuzz::sample_event());
    (void)einlass::checkin::validate(in, einlass::fuzz::sample_event());
  }
  std::string path;
  einlass::server::fields query;
  (void)einlass::server::parse_target(s, path, query);
  (void)einlass::server::url_encode(s);
  return 0;
}
