#!/usr/bin/env bash
# The project's test command (`npm test`): installs the machine-level test dependencies, type-checks
# the whole repo, lints it, then runs the whole Vitest suite (extra arguments go to `vitest run`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

echo "==> test dependencies (scripts/install-test-deps.sh)"
if [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-test-deps.sh
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo -n bash scripts/install-test-deps.sh
else
  echo "warning: not root and no passwordless sudo: skipped scripts/install-test-deps.sh;" >&2
  echo "warning: SSH suites need root (they start sshd) and the remex-test users." >&2
fi

echo "==> type-check (tsc -p tsconfig.json)"
npx tsc -p tsconfig.json

echo "==> lint (eslint .)"
npx eslint .

echo "==> tests (vitest run $*)"
log="$(mktemp -t remex-vitest.XXXXXX)"
set +e
npx vitest run "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  # The end of a long log is what a CI page shows: repeat what failed, without colours.
  echo "==> what failed (from $log)"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E -A3 '^ *(FAIL|×)|Error:|^unhandled |Unhandled (Rejection|Error)|originated in' | head -80
fi
exit "$rc"
