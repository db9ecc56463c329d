#!/usr/bin/env bash
# Runs `npm ci` when node_modules is missing or was installed from another package-lock.json,
# so that `npm start` and `npm test` work on a fresh clone without a separate install step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
want=$(sha256sum package-lock.json | cut -d' ' -f1)
have=$(cat node_modules/.kp-lock-sha256 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "ensure-deps: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >node_modules/.kp-lock-sha256
fi
