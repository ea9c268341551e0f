// JSON request bodies: a registration and an event, parsed as the server parses them
// (depth limit 32), then checked against an event's form.
#include "checkin/registration.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 32;
  auto v = boost::json::parse(einlass::fuzz::text(data, size), ec, {}, opts);
  if (ec) return 0;
  if (auto in = einlass::checkin::registration_from_json(v))
    (void)einlass::checkin::validate(*in, einlass::fuzz::sample_event());
  if (auto e = einlass::checkin::event_from_json(v)) (void)einlass::checkin::event_to_json(*e, true);
  return 0;
}
