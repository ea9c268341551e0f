#include "server/http/http.hpp"

#include "server/http/rate_limit.hpp"
#include "server/pages/html.hpp"

#include <gtest/gtest.h>

using namespace einlass::server;

TEST(Form, DecodesPlusPercentAndRepeatedNames) {
  fields f;
  ASSERT_TRUE(parse_form("first_name=J%C3%BCrgen&last_name=M%C3%BCller+Schmidt&sessions=1&sessions=3&empty=", f));
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].second, "Jürgen");
  EXPECT_EQ(f[1].second, "Müller Schmidt");
  EXPECT_EQ(f[3], (std::pair<std::string, std::string>{"sessions", "3"}));
  EXPECT_EQ(f[4].second, "");
  EXPECT_FALSE(parse_form("a=%zz", f));
  EXPECT_FALSE(parse_form("a=%4", f));
}

TEST(Target, SplitsPathAndQuery) {
  std::string path;
  fields q;
  ASSERT_TRUE(parse_target("/e/treffen?lang=ar&x=%20y", path, q));
  EXPECT_EQ(path, "/e/treffen");
  EXPECT_EQ(q.at(1).second, " y");
  EXPECT_FALSE(parse_target("no-slash", path, q));
}

// Behind a load balancer: the client is taken from X-Forwarded-For only when the peer is a
// trusted proxy, from the right, and never an entry the client could have written itself.
TEST(Forwarded, OnlyATrustedProxyNamesTheClient) {
  std::vector<std::string> proxies{"10.0.0.2", "10.0.0.3"};
  auto req = [](std::string remote, std::vector<std::pair<std::string, std::string>> headers) {
    einlass::server::request r;
    r.remote = std::move(remote);
    for (auto& [k, v] : headers) r.headers.emplace_back(k, v);
    return r;
  };
  auto direct = req("198.51.100.7", {{"x-forwarded-for", "1.2.3.4"}, {"x-forwarded-proto", "https"}});
  apply_forwarded(direct, proxies);
  EXPECT_EQ(direct.remote, "198.51.100.7");
  EXPECT_FALSE(direct.secure);

  // The client wrote "6.6.6.6" itself; the proxy appended the address it saw.
  auto proxied = req("10.0.0.2", {{"x-forwarded-for", "6.6.6.6, 203.0.113.9"}, {"x-forwarded-proto", "https"}});
  apply_forwarded(proxied, proxies);
  EXPECT_EQ(proxied.remote, "203.0.113.9");
  EXPECT_TRUE(proxied.secure);

  auto two_hops = req("10.0.0.3", {{"x-forwarded-for", "2001:db8::5"}, {"x-forwarded-for", "10.0.0.2"}});
  apply_forwarded(two_hops, proxies);
  EXPECT_EQ(two_hops.remote, "2001:db8::5");

  auto junk = req("10.0.0.2", {{"x-forwarded-for", "<script>"}});
  apply_forwarded(junk, proxies);
  EXPECT_EQ(junk.remote, "10.0.0.2");

  EXPECT_EQ(address_list("10.0.0.2,::1"), (std::vector<std::string>{"10.0.0.2", "::1"}));
  EXPECT_EQ(address_list(""), std::vector<std::string>{});
  EXPECT_FALSE(address_list("10.0.0.2,proxy.example.org"));
  EXPECT_FALSE(address_list("10.0.0.2,"));
}

TEST(Html, EscapesEverythingThatCouldOpenMarkup) {
  EXPECT_EQ(esc(R"(<script>alert("x")</script> & 'y')"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
}

TEST(RateLimit, CountsPerAddressPerMinute) {
  rate_limiter limit(3);
  auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limit.hit("10.0.0.1", t0));
  auto wait = limit.hit("10.0.0.1", t0 + std::chrono::seconds(20));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 40);
  EXPECT_FALSE(limit.hit("10.0.0.2", t0));  // another address has its own window
  EXPECT_FALSE(limit.hit("10.0.0.1", t0 + std::chrono::seconds(61)));
  rate_limiter off(0);
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(off.hit("x", t0));
}
