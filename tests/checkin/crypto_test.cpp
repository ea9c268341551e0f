#include "checkin/crypto.hpp"

#include "checkin/ticket.hpp"

#include <gtest/gtest.h>

#include <set>
#include <vector>

using namespace einlass::checkin;

TEST(Crypto, Base32RoundTrips) {
  for (std::string const& s :
       std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    std::string back;
    ASSERT_TRUE(base32_decode(base32_encode(s), back));
    EXPECT_EQ(back, s);
  }
  EXPECT_EQ(base32_encode(std::string_view("foobar")), "MZXW6YTBOI");
  std::string out;
  EXPECT_FALSE(base32_decode("MZXW6YTBO1", out));  // '1' is not in the alphabet
  EXPECT_FALSE(base32_decode("mzxw6ytboi", out));  // lower case is not a code
}

TEST(Crypto, TokensAreRandomAndStoredOnlyAsHashes) {
  auto a = random_token(32), b = random_token(32);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 52u);
  EXPECT_EQ(token_hash(a).size(), 32u);
  EXPECT_EQ(token_hash(a), token_hash(a));
  EXPECT_NE(token_hash(a), token_hash(b));
}

TEST(Crypto, PasswordsAreHashedWithArgon2) {
  auto h = password_hash("correct horse battery");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(password_verify(h, "correct horse battery"));
  EXPECT_FALSE(password_verify(h, "Correct horse battery"));
}

TEST(Ticket, CodeIsSignedBase32OfFixedLength) {
  auto key = make_signing_key();
  auto code = make_ticket_code(key);
  EXPECT_EQ(code.size(), ticket_code_length);
  EXPECT_TRUE(is_ticket_code_shape(code));
  EXPECT_TRUE(verify_ticket_code(code, key.public_key));
  for (char c : code) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')) << c;
}

TEST(Ticket, ForgedOrForeignCodesFailVerification) {
  auto key = make_signing_key(), other = make_signing_key();
  auto code = make_ticket_code(key);
  EXPECT_FALSE(verify_ticket_code(code, other.public_key));
  auto tampered = code;
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verify_ticket_code(tampered, key.public_key));
  EXPECT_FALSE(verify_ticket_code(code.substr(1), key.public_key));
  EXPECT_FALSE(is_ticket_code_shape("NOT-A-CODE"));
}

TEST(Ticket, CodesDoNotRepeat) {
  auto key = make_signing_key();
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(make_ticket_code(key)).second);
}
