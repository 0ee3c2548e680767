#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs (npm packages;
# Debian's chromium for the browser test), type-checks, then runs every test.
# Tests that need MariaDB start their own throwaway mariadbd instances.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
# Debian packages the tests need: chromium (browser test), MariaDB's mariadb-install-db and
# mariadbd (the tests start throwaway servers; unless MYSQL_TEST_URL points at one).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ -z "${MYSQL_TEST_URL:-}" ] && ! command -v mariadb-install-db >/dev/null; then missing+=(mariadb-server mariadb-client); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  ($sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
fi
export REQUIRE_CHROMIUM=1
npm run --silent typecheck
npm run --silent lint
npm test
