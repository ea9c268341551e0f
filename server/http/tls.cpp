#include "server/http/tls.hpp"

#include "checkin/files.hpp"
#include "server/http/log.hpp"

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
#include <ctime>
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

void check(bool ok, char const* what) {
  if (!ok) throw std::runtime_error(std::string("cannot make the TLS certificate: ") + what);
}

x509_ptr read_cert(std::string const& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "r"), &std::fclose);
  return x509_ptr(f ? PEM_read_X509(f.get(), nullptr, nullptr, nullptr) : nullptr);
}

pkey_ptr read_key(std::string const& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "r"), &std::fclose);
  return pkey_ptr(f ? PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr) : nullptr);
}

// Valid for at least another `days`.
bool lasts(X509* cert, long days) {
  auto at = std::time(nullptr) + days * 24 * 3600;
  return X509_cmp_time(X509_get0_notAfter(cert), &at) > 0;
}

// The leaf names every one of `names`, chains to `ca` (name constraints included), and lasts
// another 30 days.
bool leaf_fits(X509* leaf, X509* ca, std::vector<std::string> const& names) {
  if (!leaf || !ca || !lasts(leaf, 30)) return false;
  for (auto const& n : names) {
    int ok = is_ip(n) ? X509_check_ip_asc(leaf, n.c_str(), 0) : X509_check_host(leaf, n.c_str(), n.size(), 0, nullptr);
    if (ok != 1) return false;
  }
  std::unique_ptr<X509_STORE, deleter<X509_STORE, X509_STORE_free>> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, deleter<X509_STORE_CTX, X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  X509_STORE_add_cert(store.get(), ca);
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  return X509_verify_cert(ctx.get()) == 1;
}

void add_ext(X509* cert, X509* issuer, int nid, std::string const& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

x509_ptr new_cert(EVP_PKEY* key, std::string const& cn, long days) {
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
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * days);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<unsigned char const*>("Einlass"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<unsigned char const*>(cn.c_str()), -1, -1, 0);
  return cert;
}

// What `write` puts into a memory BIO, as text.
template <class Write>
std::string pem(Write&& write) {
  std::unique_ptr<BIO, deleter<BIO, BIO_free_all>> bio(BIO_new(BIO_s_mem()));
  check(bio && write(bio.get()) == 1, "PEM output");
  char* data = nullptr;
  auto n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string pem_of(X509* cert) {
  return pem([&](BIO* b) { return PEM_write_bio_X509(b, cert); });
}

std::string pem_of(EVP_PKEY* key) {
  return pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

void write_file(std::string const& path, std::string const& bytes) {
  auto why = checkin::write_private(path, bytes);
  if (!why.empty()) throw std::runtime_error("cannot make the TLS certificate: " + why);
}

// "IP:a.b.c.d/255.255.255.255" or the IPv6 form: exactly this address.
std::string ip_constraint(std::string const& ip) {
  return ip.find(':') == std::string::npos ? "IP:" + ip + "/255.255.255.255"
                                           : "IP:" + ip + "/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF";
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
  tls_files files{db_path + ".cert.pem", db_path + ".key.pem", db_path + ".ca.pem"};
  auto const ca_key_path = db_path + ".ca-key.pem";
  auto names = machine_names();
  auto ca = read_cert(files.ca);
  auto ca_key = read_key(ca_key_path);
  auto leaf = read_cert(files.cert);
  if (std::filesystem::exists(files.key) && ca && ca_key && leaf_fits(leaf.get(), ca.get(), names)) return files;

  std::string san, permitted;
  for (auto const& n : names) {
    san += (san.empty() ? "" : ",") + std::string(is_ip(n) ? "IP:" : "DNS:") + n;
    permitted +=
        (permitted.empty() ? "critical,permitted;" : ",permitted;") + (is_ip(n) ? ip_constraint(n) : "DNS:" + n);
  }
  // The authority: made once and kept, so tablets trust it once. Made anew only when it
  // cannot vouch for this machine's names (another venue's network) or nears its end.
  bool new_ca = !ca || !ca_key || !lasts(ca.get(), 60) || !X509_check_private_key(ca.get(), ca_key.get());
  if (!new_ca) {
    auto probe = new_cert(ca_key.get(), "localhost", 397);
    add_ext(probe.get(), ca.get(), NID_subject_alt_name, san);
    X509_set_issuer_name(probe.get(), X509_get_subject_name(ca.get()));
    check(X509_sign(probe.get(), ca_key.get(), EVP_sha256()) > 0, "signing");
    new_ca = !leaf_fits(probe.get(), ca.get(), {});
  }
  if (new_ca) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    ca_key.reset(EVP_EC_gen("P-256"));
    check(ca_key != nullptr, "key generation");
    ca = new_cert(ca_key.get(), std::string("Einlass local CA ") + host, 3650);
    X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
    // pathlen 0: it signs server certificates only; name constraints: only this machine's
    // names and addresses, so a stolen CA key cannot impersonate any other site.
    add_ext(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_ext(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_ext(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    add_ext(ca.get(), ca.get(), NID_name_constraints, permitted);
    check(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0, "signing the CA");
    write_file(ca_key_path, pem_of(ca_key.get()));
    write_file(files.ca, pem_of(ca.get()));
    ::chmod(files.ca.c_str(), 0644);  // public: tablets download it
    log_line("made a local certificate authority in " + files.ca +
             ": install it once on each door tablet (docs/operations.md)");
  }
  // The server's certificate: at most 397 days (what browsers accept), renewed when it has
  // 30 days left or misses one of the machine's names.
  pkey_ptr key(EVP_EC_gen("P-256"));
  check(key != nullptr, "key generation");
  leaf = new_cert(key.get(), "localhost", 397);
  X509_set_issuer_name(leaf.get(), X509_get_subject_name(ca.get()));
  add_ext(leaf.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(leaf.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_ext(leaf.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  add_ext(leaf.get(), ca.get(), NID_subject_alt_name, san);
  add_ext(leaf.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  check(X509_sign(leaf.get(), ca_key.get(), EVP_sha256()) > 0, "signing");
  write_file(files.key, pem_of(key.get()));
  write_file(files.cert, pem_of(leaf.get()) + pem_of(ca.get()));  // the chain the server sends
  ::chmod(files.cert.c_str(), 0644);
  log_line("made a TLS certificate for " + san + " in " + files.cert + ", signed by " + files.ca);
  files.made = true;
  return files;
}

}  // namespace einlass::server
