#pragma once
// Shared by the libFuzzer targets: an event like the ones organisers make, built once.
#include "checkin/event.hpp"

#include <boost/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace einlass::fuzz {

inline checkin::event const& sample_event() {
  static checkin::event const e = [] {
    auto v = boost::json::parse(
        R"({"slug":"forum","title":"Fachforum","starts_at":"2030-03-05T10:00","ends_at":"2030-03-05T16:00",
      "capacity":100,"waitlist":true,"fields":{"phone":"optional","position":"required"},
      "sessions":[{"title":"AG 1","capacity":10,"starts_at":"2030-03-05T11:00","ends_at":"2030-03-05T12:00"},{"title":"AG 2"}],
      "questions":[{"label":"Essen","kind":"single","options":["vegan","alles"]},{"label":"Themen","kind":"multiple","options":["a","b"]},
                   {"label":"Buffet","kind":"checkbox"},{"label":"Wunsch","kind":"text"}]})");
    auto parsed = checkin::event_from_json(v);
    auto out = *parsed;
    out.id = 1;
    for (std::size_t i = 0; i < out.sessions.size(); ++i) out.sessions[i].id = static_cast<std::int64_t>(i + 1);
    for (std::size_t i = 0; i < out.questions.size(); ++i) out.questions[i].key = "q" + std::to_string(i + 1);
    return out;
  }();
  return e;
}

inline std::string_view text(std::uint8_t const* data, std::size_t size) {
  return {reinterpret_cast<char const*>(data), size};
}

}  // namespace einlass::fuzz
