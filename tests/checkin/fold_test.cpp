// Search folding (checkin/fold.hpp): names as people type them find names as they are written.
#include "checkin/fold.hpp"
#include "checkin/db.hpp"
#include "checkin/migrate.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

using einlass::checkin::fold_for_search;
using einlass::checkin::search_key;

TEST(Fold, GermanNamesIgnoreCaseAndAccents) {
  EXPECT_EQ(fold_for_search("Übermuth"), fold_for_search("übermuth"));
  EXPECT_EQ(fold_for_search("Übermuth"), "ubermuth");
  EXPECT_EQ(fold_for_search("Müller"), "muller");
  EXPECT_EQ(fold_for_search("MÜLLER"), "muller");
  EXPECT_EQ(fold_for_search("Straße"), "strasse");
  EXPECT_EQ(fold_for_search("Dessau-Roßlau"), "dessau-rosslau");
  EXPECT_EQ(fold_for_search("Zoë Élodie"), "zoe elodie");
}

TEST(Fold, TurkishNamesFoldToTheirLatinLetters) {
  EXPECT_EQ(fold_for_search("Öztürk"), "ozturk");
  EXPECT_EQ(fold_for_search("öztürk"), "ozturk");
  EXPECT_EQ(fold_for_search("Çağlar Işık"), "caglar isik");
  EXPECT_EQ(fold_for_search("İlkay Şahin"), "ilkay sahin");
}

TEST(Fold, ArabicSpellingVariantsAreOne) {
  // Alef with hamza above, below, with madda, and wasla: alef.
  EXPECT_EQ(fold_for_search("أحمد"), fold_for_search("احمد"));
  EXPECT_EQ(fold_for_search("إبراهيم"), fold_for_search("ابراهيم"));
  EXPECT_EQ(fold_for_search("آمنة"), fold_for_search("امنه"));
  EXPECT_EQ(fold_for_search("ٱلعلي"), fold_for_search("العلي"));
  // Taa marbuta and haa; alef maqsura and yaa.
  EXPECT_EQ(fold_for_search("فاطمة"), fold_for_search("فاطمه"));
  EXPECT_EQ(fold_for_search("مصطفى"), fold_for_search("مصطفي"));
  // Diacritics (harakat, shadda, tanwin) and tatweel ignored.
  EXPECT_EQ(fold_for_search("مُحَمَّد"), fold_for_search("محمد"));
  EXPECT_EQ(fold_for_search("مـحـمـد"), fold_for_search("محمد"));
  // Letters that differ stay apart.
  EXPECT_NE(fold_for_search("محمد"), fold_for_search("محمود"));
}

TEST(Fold, TheKeyHoldsNamesAndOrganisationAndBadTextIsNoCrash) {
  EXPECT_EQ(search_key("Anna", "Müller", "IHK Köln"), "anna muller ihk koln");
  EXPECT_EQ(fold_for_search(""), "");
  EXPECT_NO_THROW(
      (void)fold_for_search(std::string("Sch\xff\xfe"
                                        "midt")));
}

// Registrations stored before there were search keys (schema 8) get theirs when the server
// starts, on either engine.
TEST(Fold, MigrationFillsTheKeysOfEarlierRegistrations) {
  using namespace einlass::checkin;
  einlass::test::temp_dir dir;
  einlass::test::test_database target(dir, "v8.db");
  {
    database db(target.target());
    ASSERT_EQ(migrate(db, schema_migrations(db.engine()).first(8)), 8);
    einlass::test::insert_old_event(db);
    db.exec(
        "INSERT INTO registrations (id, event_id, status, first_name, last_name, email, email_key, organisation, "
        "  consent_at, consent_version, ticket_code, created_at) VALUES "
        "  (1, 1, 'confirmed', 'Jürgen', 'Öztürk', 'a@x.de', 'a@x.de', 'IHK', 'now', 'v', 'C1', 'now'),"
        "  (2, 1, 'confirmed', 'فاطمة', 'أحمد', 'c@x.de', 'c@x.de', '', 'now', 'v', 'C2', 'now');");
  }
  database db(target.target());
  migrate(db);
  EXPECT_EQ(db.query_one<std::string>("SELECT search_key FROM registrations WHERE id = 1"), "jurgen ozturk ihk");
  EXPECT_EQ(db.query_one<std::string>("SELECT search_key FROM registrations WHERE id = 2"),
            fold_for_search("فاطمه احمد "));
  EXPECT_EQ(db.query_one<std::int64_t>("SELECT count(*) FROM registrations WHERE search_key IS NULL"), 0);
}
