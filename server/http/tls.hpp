#pragma once
// Certificates for HTTPS. Door tablets grant the camera only over HTTPS, so a venue
// without its own certificate can use a self-signed one made here once.
#include <string>
#include <vector>

namespace einlass::server {

struct tls_files {
  std::string cert, key;
  std::string ca;     // the local authority's certificate (--tls-self-signed), else empty
  bool made = false;  // written just now (new or renewed), not found as they were
};

// The machine's addresses: localhost, loopback, host name and every interface address.
[[nodiscard]] std::vector<std::string> machine_names();

// What mkcert does, for a venue without its own certificate: a local certificate authority
// kept beside the database (DB.ca.pem, DB.ca-key.pem; CA:TRUE with pathlen 0 and name
// constraints to this machine's names and addresses, ten years), and a server certificate
// signed by it (DB.cert.pem with the chain, DB.key.pem; CA:FALSE, serverAuth, 397 days).
// Tablets trust the authority once (docs/operations.md); the server certificate renews itself
// at start when it has 30 days left or misses an address of the machine. Keys are 0600.
// Throws std::runtime_error on failure.
tls_files ensure_self_signed(std::string const& db_path);

}  // namespace einlass::server
