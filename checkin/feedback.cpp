#include "checkin/feedback.hpp"

#include "checkin/text.hpp"

namespace einlass::checkin {

outcome<bool> give_feedback(database& db, std::int64_t event_id, std::int64_t registration_id,
                            feedback_answer const& answer, sys_seconds at) {
  std::vector<field_error> errors;
  bool any = !trim(answer.comment).empty();
  for (std::size_t i = 0; i < feedback_questions.size(); ++i)
    if (auto const& r = answer.ratings[i]) {
      any = true;
      if (*r < 1 || *r > 5) errors.push_back({std::string(feedback_questions[i]), "invalid_number"});
    }
  if (auto r = check_text(answer.comment, max_feedback_comment, true); !r.empty()) errors.push_back({"comment", r});
  if (!errors.empty()) return failure{errc::invalid_field, std::move(errors), {}};
  if (!any) return fail(errc::invalid_field, "comment", "no_answer");
  // The mark first: of two answers sent at once, one sets it and the other finds it set.
  db.cached(
        "UPDATE registrations SET feedback_given = 1 WHERE id = ?1 AND event_id = ?2 AND feedback_given = 0 AND "
        "anonymised_at IS NULL")
      .bind_all(registration_id, event_id)
      .run();
  if (db.changes() == 0) return fail(errc::already_answered);
  auto st = db.cached(
      "INSERT INTO feedback (event_id, overall, content, contacts, organisation, comment, day) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7)");
  auto day = to_utc_text(at).substr(0, 10);
  st.bind_all(event_id, answer.ratings[0], answer.ratings[1], answer.ratings[2], answer.ratings[3],
              std::string(trim(answer.comment)), day);
  st.run();
  return true;
}

bool has_given_feedback(database& db, std::int64_t registration_id) {
  auto st = db.cached("SELECT feedback_given FROM registrations WHERE id = ?1");
  st.bind(1, registration_id);
  return st.step() && st.int64(0) != 0;
}

feedback_summary summarise_feedback(database& db, std::int64_t event_id) {
  feedback_summary s;
  auto st = db.cached(
      "SELECT overall, content, contacts, organisation, comment FROM feedback WHERE event_id = ?1 ORDER BY id");
  st.bind(1, event_id);
  while (st.step()) {
    ++s.answers;
    for (std::size_t i = 0; i < feedback_questions.size(); ++i)
      if (auto v = st.optional_int64(static_cast<int>(i)); v && *v >= 1 && *v <= 5) {
        auto& q = s.questions[i];
        ++q.counts[static_cast<std::size_t>(*v - 1)];
        ++q.rated;
        q.mean += static_cast<double>(*v);
      }
    if (auto c = st.text(4); !c.empty()) s.comments.push_back(std::move(c));
  }
  for (auto& q : s.questions)
    if (q.rated > 0) q.mean /= static_cast<double>(q.rated);
  return s;
}

}  // namespace einlass::checkin
