#!/usr/bin/env bash
# The whole test suite, on a fresh machine (Debian, or GitHub's ubuntu-24.04 runner): installs
# what it needs (npm packages; MariaDB's mariadb-install-db and mariadbd from apt, with sudo when
# not root; a headless browser for the browser test: Debian's chromium, or the Chromium/Chrome
# GitHub's image ships), type-checks, lints, then runs every test. Tests that need MariaDB start
# their own throwaway mariadbd instances (unless MYSQL_TEST_URL points at a server).
#   ./scripts/test.sh                    # everything (CI runs exactly this)
#   ./scripts/test.sh tests/plan-cli.test.ts   # arguments go to jest
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
missing=()
browser=""
for b in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  if [ -n "$b" ] && [ -x "$b" ]; then browser="$b"; break; fi
done
[ -n "$browser" ] || missing+=(chromium)
if [ -z "${MYSQL_TEST_URL:-}" ] && ! command -v mariadb-install-db >/dev/null; then missing+=(mariadb-server mariadb-client); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing with apt: ${missing[*]}" >&2
  ($sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null
  [ -n "$browser" ] || browser=/usr/bin/chromium
fi
export CHROMIUM_PATH="$browser"
export REQUIRE_CHROMIUM=1
npm run --silent typecheck
npm run --silent lint
# Inside the suite, the workflow test runs this script as deploy.yml's check job does; there the
# suite itself is listed, not run again (PHOTO_ANALYTICS_NESTED_TEST_RUN=1).
if [ "${PHOTO_ANALYTICS_NESTED_TEST_RUN:-}" = "1" ]; then
  npx jest --listTests "$@" | wc -l | xargs -I{} echo "{} test files (nested run: listed, not run)"
else
  npm test -- "$@"
fi
