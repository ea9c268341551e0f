#pragma once
// What the workspace's plain-form pages share (server/admin_pages.cpp, server/account_pages.cpp):
// the page frame, cookies, and the CSRF token of forms used before anyone is signed in (a
// double submit: the same random value in a cookie and in the form).
#include "server/http/http.hpp"
#include "server/pages/html.hpp"

#include <string>
#include <string_view>

namespace einlass::server {

inline constexpr std::string_view login_cookie = "einlass_login";

// A Set-Cookie value: HttpOnly, SameSite=Strict, Path=/, Secure over TLS.
[[nodiscard]] std::string cookie(std::string_view name, std::string_view value, request const& req, int max_age);
[[nodiscard]] page workspace_page(request const& req, std::string const& lang, std::string_view title_key,
                                  std::string body);
[[nodiscard]] std::string form_value(fields const& form, std::string_view name);
// The double-submit token for a sign-in-free form: the cookie's, or a new one to set.
[[nodiscard]] std::string form_token(request const& req);
[[nodiscard]] bool form_token_ok(request const& req, fields const& form);

}  // namespace einlass::server
