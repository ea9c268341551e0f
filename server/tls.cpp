#include "server/tls.hpp"

#include "server/log.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace einlass::server {

namespace {

template <class T, void (*F)(T*)>
struct deleter {
  void operator()(T* p) const { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;

bool is_ip(std::string const& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool covers(std::string const& cert_path, std::vector<std::string> const& names) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(cert_path.c_str(), "r"), &std::fclose);
  if (!f) return false;
  x509_ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
  if (!cert) return false;
  for (auto const& n : names) {
    int ok = is_ip(n) ? X509_check_ip_asc(cert.get(), n.c_str(), 0) : X509_check_host(cert.get(), n.c_str(), n.size(), 0, nullptr);
    if (ok != 1) return false;
  }
  return X509_cmp_current_time(X509_get0_notAfter(cert.get())) > 0;
}

void check(bool ok, char const* what) {
  if (!ok) throw std::runtime_error(std::string("cannot make the TLS certificate: ") + what);
}

}  // namespace

std::vector<std::string> machine_names() {
  std::vector<std::string> names{"localhost", "127.0.0.1", "::1"};
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0 && host[0]) names.emplace_back(host);
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) == 0) {
    for (auto* a = list; a; a = a->ifa_next) {
      if (!a->ifa_addr) continue;
      char buf[INET6_ADDRSTRLEN] = {};
      if (a->ifa_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
      else if (a->ifa_addr->sa_family == AF_INET6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(a->ifa_addr);
        if (IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr)) continue;  // needs a scope id; no browser uses it
        inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof buf);
      } else continue;
      std::string s(buf);
      if (!s.empty() && std::find(names.begin(), names.end(), s) == names.end()) names.push_back(s);
    }
    freeifaddrs(list);
  }
  return names;
}

tls_files ensure_self_signed(std::string const& db_path) {
  tls_files files{db_path + ".cert.pem", db_path + ".key.pem"};
  auto names = machine_names();
  if (std::filesystem::exists(files.key) && covers(files.cert, names)) return files;

  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "key generation");
  x509_ptr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "random serial");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<unsigned char const*>("Einlass"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<unsigned char const*>("Einlass self-signed"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san;
  for (auto const& n : names) san += (san.empty() ? "" : ",") + std::string(is_ip(n) ? "IP:" : "DNS:") + n;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, san}, std::pair{NID_basic_constraints, std::string("critical,CA:TRUE")},
                            std::pair{NID_ext_key_usage, std::string("serverAuth")}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "extension");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signing");

  auto write = [](std::string const& path, auto&& fn, mode_t mode) {
    auto tmp = path + ".tmp";
    mode_t old = ::umask(0077);
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(tmp.c_str(), "w"), &std::fclose);
    ::umask(old);
    check(f != nullptr, "cannot write beside the database");
    check(fn(f.get()) == 1, "PEM output");
    f.reset();
    ::chmod(tmp.c_str(), mode);
    std::filesystem::rename(tmp, path);
  };
  write(files.key, [&](FILE* f) { return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr); }, 0600);
  write(files.cert, [&](FILE* f) { return PEM_write_X509(f, cert.get()); }, 0644);
  log_line("made a self-signed TLS certificate for " + san + " in " + files.cert);
  return files;
}

}  // namespace einlass::server
