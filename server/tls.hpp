#pragma once
// Certificates for HTTPS. Door tablets grant the camera only over HTTPS, so a venue
// without its own certificate can use a self-signed one made here once.
#include <string>
#include <vector>

namespace einlass::server {

struct tls_files {
  std::string cert, key;
};

// The machine's addresses: localhost, loopback, host name and every interface address.
[[nodiscard]] std::vector<std::string> machine_names();

// Makes (or reuses) a self-signed certificate beside the database: DB.cert.pem and
// DB.key.pem (key readable by the owner only). Made anew when an address of the
// machine is missing from the existing one. Throws std::runtime_error on failure.
tls_files ensure_self_signed(std::string const& db_path);

}  // namespace einlass::server
