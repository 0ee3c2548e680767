#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what it needs (npm packages;
# Debian's chromium for the browser test), type-checks, then runs every test.
# Tests that need MariaDB start their own throwaway mariadbd instances.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  fi
fi
export REQUIRE_CHROMIUM=1
npm run --silent typecheck
npm run --silent lint
npm test
