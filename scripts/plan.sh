#!/usr/bin/env bash
# The main job: the offline plan of a stack (default: dev). No cloud credentials,
# no Pulumi CLI. Installs the npm dependencies first when they are missing or stale.
#   ./scripts/plan.sh                      # plan of the dev stack
#   ./scripts/plan.sh --stack prod --stage growth --format markdown
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
if [ $# -eq 0 ]; then set -- --stack dev; fi
# The command `npm run plan` runs (package.json "plan"), without npm's own start-up (~0.15 s).
exec node -r ./scripts/build.js bin/cli/main.js plan "$@"
