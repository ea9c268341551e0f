#pragma once
// The feedback form behind the thank-you mail (issue 15): four ratings from 1 to 5 and a free
// text, each optional, one answer per person's link. Anonymous in storage: the answer's row
// names no registration and keeps only the day; the registration keeps only that it answered.
#include "checkin/db.hpp"
#include "checkin/errors.hpp"
#include "checkin/time.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace einlass::checkin {

inline constexpr std::array<std::string_view, 4> feedback_questions{"overall", "content", "contacts", "organisation"};
inline constexpr std::size_t max_feedback_comment = 4000;

struct feedback_answer {
  std::array<std::optional<int>, feedback_questions.size()> ratings;
  std::string comment;
};

// Stores the answer of the registration's holder: conflict "already_answered" when they have,
// invalid_field (rating 1 to 5, comment) or "no_answer" when nothing was given.
[[nodiscard]] outcome<bool> give_feedback(database& db, std::int64_t event_id, std::int64_t registration_id,
                                          feedback_answer const& answer, sys_seconds at);
[[nodiscard]] bool has_given_feedback(database& db, std::int64_t registration_id);

struct feedback_summary {
  std::int64_t answers = 0;
  struct question {
    std::array<std::int64_t, 5> counts{};  // how many gave 1 .. 5
    std::int64_t rated = 0;
    double mean = 0;
  };
  std::array<question, feedback_questions.size()> questions{};
  std::vector<std::string> comments;  // in the order given
};
[[nodiscard]] feedback_summary summarise_feedback(database& db, std::int64_t event_id);

}  // namespace einlass::checkin
