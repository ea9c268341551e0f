#pragma once
// Valid request bodies that tests adjust: an event and a person.
#include <boost/json/object.hpp>

#include <string>

namespace einlass::test {

// A valid event body: starts in 30 days, 10:00-16:00 Berlin; fields may be overridden.
[[nodiscard]] boost::json::object event_spec(std::string const& slug, boost::json::object overrides = {});
// A valid registration body for `email`.
[[nodiscard]] boost::json::object person(std::string const& email, boost::json::object overrides = {});

}  // namespace einlass::test
