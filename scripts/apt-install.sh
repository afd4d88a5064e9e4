#!/usr/bin/env bash
# Installs Debian packages quietly: `apt-install.sh LABEL PKG...` (no package: nothing to do).
# Tries without `apt-get update` first (fast when the lists are fresh), updates once if that fails.
# Shared by install-test-deps.sh and install-bench-deps.sh. Run as root.
set -euo pipefail
label=$1
shift
[ "$#" -gt 0 ] || exit 0
echo "$label: installing $*" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
fi
