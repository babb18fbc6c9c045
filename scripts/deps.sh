#!/bin/sh
# Install the Debian packages Fanzha needs that are not there yet.
# Runs apt-get only when something is missing; needs root (or sudo).
set -e
PKGS="gcc clang make libc6-dev zlib1g-dev libjansson-dev libcmocka-dev libclang-rt-14-dev libxgboost-dev libsqlite3-dev libmicrohttpd-dev libsodium-dev sqlite3 curl wrk gzip bc chromium libxml2-utils unzip"
missing=""
# the browser tests (tests/browser) drive chromium from node; any node >= 18 will do
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "fanzha: installing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
