#!/usr/bin/env bash
# The Debian package as an admin meets it (CI; needs root, installs onto this machine):
# build two revisions, check contents, metadata and lintian, verify the units and their
# hardening, install, run the server as the unit would (no systemd runs in CI, so the
# unit's ExecStart line is started as the user einlass), register a person, run the backup
# service's command, upgrade over the same data, then remove (data kept) and purge (gone).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

fail() {
  echo "package test: FAILED: $*" >&2
  exit 1
}
step() { echo "package test: $*"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (it installs the package)"
if dpkg-query -W -f='${Status}' einlass 2>/dev/null | grep -q "ok installed" || [ -e /var/lib/einlass ]; then
  fail "einlass is installed here already; this test installs and purges its own"
fi
for tool in lintian systemd-analyze curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (bash .ci/setup installs it)"
done

work=$(mktemp -d /tmp/einlass-package.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  if dpkg-query -W -f='${Status}' einlass 2>/dev/null | grep -q "installed"; then dpkg -P einlass >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

step "building two revisions"
rm -f build/einlass_*.deb
bash .ci/package >/dev/null
bash .ci/package -D CPACK_DEBIAN_PACKAGE_RELEASE=2 >/dev/null
first=$(ls build/einlass_*_amd64.deb | grep -v -- '-2_amd64' | head -1)
second=$(ls build/einlass_*-2_amd64.deb | head -1)
[ -f "$first" ] && [ -f "$second" ] || fail "expected two packages in build/, found: $(ls build/*.deb)"
version=$(dpkg-deb -f "$first" Version)
[[ "$first" == "build/einlass_${version}_amd64.deb" ]] || fail "file name $first does not carry version $version"
dpkg --compare-versions "$(dpkg-deb -f "$second" Version)" gt "$version" || fail "the second revision is not higher"

step "metadata and contents of $first"
info=$(dpkg-deb -I "$first")
for field in "Package: einlass" "Architecture: amd64" "Section: web" "Maintainer: " "Description: "; do
  grep -q "$field" <<<"$info" || fail "control lacks '$field'"
done
depends=$(dpkg-deb -f "$first" Depends)
for dep in adduser ca-certificates tzdata libsqlite3 libpq5 libsodium libqrencode libssl libcurl libxlsxwriter \
  libcairo2 libpango-1.0 librsvg2 fonts-noto-core; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
contents=$(dpkg-deb -c "$first")
for path in ./usr/bin/einlass ./etc/einlass/einlass.conf ./lib/systemd/system/einlass.service \
  ./lib/systemd/system/einlass-backup.service ./lib/systemd/system/einlass-backup.timer \
  ./usr/share/doc/einlass/copyright ./usr/share/doc/einlass/changelog.gz ./usr/share/man/man1/einlass.1.gz; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
dpkg-deb -e "$first" "$work/control"
grep -qx "/etc/einlass/einlass.conf" "$work/control/conffiles" || fail "einlass.conf is not a conffile"

step "lintian (no errors)"
lintian --fail-on error --tag-display-limit 0 "$first" | tee "$work/lintian.txt" || fail "lintian found errors"

step "units: hardening (systemd-analyze security, offline)"
dpkg-deb -x "$first" "$work/root"
for unit in einlass.service einlass-backup.service; do
  exposure=$(systemd-analyze security --offline=true --root="$work/root" "/lib/systemd/system/$unit" 2>/dev/null |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) \(.*\)/\1 \2/p')
  step "$unit exposure: $exposure"
  python3 -c "import sys; sys.exit(0 if float('${exposure%% *}') < 5.0 else 1)" ||
    fail "$unit exposure '$exposure' is worse than OK"
done

step "install"
dpkg -i "$first" >/dev/null
getent passwd einlass >/dev/null || fail "no user einlass"
[ "$(stat -c '%U %a' /var/lib/einlass)" = "einlass 700" ] || fail "/var/lib/einlass is $(stat -c '%U %a' /var/lib/einlass)"
step "units: systemd-analyze verify (against the installed system)"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify /lib/systemd/system/einlass.service \
  /lib/systemd/system/einlass-backup.service /lib/systemd/system/einlass-backup.timer 2>&1 | tee "$work/verify.txt"
[ ! -s "$work/verify.txt" ] || fail "systemd-analyze verify complained"
/usr/bin/einlass --version | grep -q "^einlass $(cut -d- -f1 <<<"$version") (database schema" || fail "einlass --version"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
exec_start() { sed -n 's/^ExecStart=//p' "/lib/systemd/system/$1"; }

start_server() {
  port=$(free_port)
  # shellcheck disable=SC2046 # the unit's command line, split as systemd splits it (no quotes in it)
  (cd /var/lib/einlass && exec setpriv --reuid=einlass --regid=einlass --init-groups -- $(exec_start einlass.service) --listen "127.0.0.1:$port") \
    >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$work/server.err" >&2
  fail "the server did not answer"
}
stop_server() {
  kill -TERM "$server_pid"
  wait "$server_pid" || fail "the server did not stop cleanly"
  server_pid=""
}

step "the server as the unit starts it, a person registered"
start_server
# An admin on the server, as root: the command acts as the database's owner.
echo "a long enough password" | einlass user add --config /etc/einlass/einlass.conf --email it@example.org --role organiser
token=$(einlass token create --config /etc/einlass/einlass.conf --email it@example.org 2>/dev/null)
for f in /var/lib/einlass/einlass.db*; do
  [ "$(stat -c %U "$f")" = einlass ] || fail "$f belongs to $(stat -c %U "$f") after a command run as root"
done
event='{"slug":"paket","title":"Netzwerktreffen","starts_at":"2030-03-01T09:00","ends_at":"2030-03-01T15:00","timezone":"Europe/Berlin","capacity":50}'
status=$(curl -s -o "$work/event.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
  -H "Content-Type: application/json" -d "$event" "http://127.0.0.1:$port/api/v1/events")
[ "$status" = 201 ] || fail "creating the event: $status $(cat "$work/event.json")"
person='{"first_name":"Layla","last_name":"Haddad","email":"layla@example.org","organisation":"Welcome Center",
  "organisation_type":"migrant_organisation","language":"ar","consent":true}'
status=$(curl -s -o "$work/registration.json" -w '%{http_code}' -H "Content-Type: application/json" -d "$person" \
  "http://127.0.0.1:$port/api/v1/events/paket/registrations")
[ "$status" = 201 ] || fail "registering: $status $(cat "$work/registration.json")"

step "the backup service's command"
# shellcheck disable=SC2046
runuser -u einlass -- $(exec_start einlass-backup.service) 2>&1 | tee "$work/backup.txt"
ls /var/lib/einlass/backups/einlass-*.db >/dev/null || fail "no backup in /var/lib/einlass/backups"
stop_server

step "upgrade to $(dpkg-deb -f "$second" Version) over the same data"
dpkg -i "$second" >/dev/null
[ "$(dpkg-query -W -f='${Version}' einlass)" = "$(dpkg-deb -f "$second" Version)" ] || fail "not upgraded"
start_server
curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/events/paket/attendees" |
  grep -q "layla@example.org" || fail "the person is gone after the upgrade"
stop_server

step "remove keeps the data, purge deletes it"
dpkg -r einlass >/dev/null
[ ! -e /usr/bin/einlass ] || fail "/usr/bin/einlass still there after removal"
[ -f /var/lib/einlass/einlass.db ] || fail "removal deleted the data"
[ -f /etc/einlass/einlass.conf ] || fail "removal deleted the conffile"
dpkg -P einlass >/dev/null
[ ! -e /var/lib/einlass ] || fail "purge left /var/lib/einlass"
[ ! -e /etc/einlass ] || fail "purge left /etc/einlass"

step "passed"
