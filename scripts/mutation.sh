#!/usr/bin/env bash
# Runs Stryker (which needs Node 22 or newer) on the pinned Node 22 from scripts/node-version.sh.
# Extra arguments go to Stryker, e.g. one file alone:
#   npm run test:mutation -- --mutate src/flyio/retry.ts
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$(scripts/node-version.sh 22):$PATH"
export PATH
exec node node_modules/@stryker-mutator/core/bin/stryker.js run stryker.config.mjs "$@"
