#!/usr/bin/env bash
# Runs Stryker (9.x, which supports Node 20) on the `node` on PATH.
# Extra arguments go to Stryker, e.g. one file alone:
#   npm run test:mutation -- --mutate src/flyio/retry.ts
set -euo pipefail
cd "$(dirname "$0")/.."
exec node node_modules/@stryker-mutator/core/bin/stryker.js run stryker.config.mjs "$@"
