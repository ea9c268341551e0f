#pragma once
// A migrated database (a temporary SQLite file, or a fresh PostgreSQL database), and events
// made through the domain API.
#include "checkin/db.hpp"
#include "checkin/event.hpp"
#include "checkin/migrate.hpp"
#include "checkin/registration.hpp"
#include "checkin/store.hpp"
#include "tests/support/specs.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

#include <boost/json.hpp>

namespace einlass::test {

// "field:reason" for every field at fault in a failed outcome, in order.
template <class T>
std::vector<std::string> faults(checkin::outcome<T> const& r) {
  std::vector<std::string> out;
  for (auto const& f : r.error().fields) out.push_back(f.field + ":" + f.reason);
  return out;
}

struct db_fixture {
  temp_dir dir;
  test_database storage{dir};
  std::string path = storage.target();  // a SQLite file or a postgresql:// URL
  checkin::database db{path};
  db_fixture() { checkin::migrate(db); }

  // Stores an event from the API's JSON form; fails the test on invalid input.
  checkin::event make_event(boost::json::object spec) {
    auto e = checkin::event_from_json(spec);
    if (!e) throw std::runtime_error("invalid test event: " + e.error().fields.front().field);
    checkin::transaction tx(db);
    auto created = checkin::create_event(db, std::move(*e), std::nullopt, checkin::now());
    tx.commit();
    return *checkin::find_event(db, created->slug);
  }

  checkin::outcome<checkin::registration> register_json(checkin::event const& e, boost::json::object body,
                                                        checkin::sys_seconds at = checkin::now()) {
    auto in = checkin::registration_from_json(body);
    if (!in) return in.error();
    if (auto errors = checkin::validate(*in, e); !errors.empty())
      return checkin::failure{checkin::errc::invalid_field, errors, {}};
    checkin::transaction tx(db);
    auto r = checkin::register_participant(db, e, *in, at);
    tx.commit();
    return r;
  }
};

}  // namespace einlass::test
