#!/usr/bin/env bash
# Installs what `npm run bench` needs beyond the test dependencies: the peer tools it measures
# Remex against (pssh, clustershell, ansible-core) and /usr/bin/time for their rusage.
# Idempotent and quiet when all is present. Run as root (npm run bench calls it when it is root).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-bench-deps: must run as root; peers that are missing will be skipped" >&2
  exit 0
fi

bash "$(dirname "${BASH_SOURCE[0]}")/install-test-deps.sh"

missing=()
[ -x /usr/bin/parallel-ssh ] || [ -x /usr/bin/pssh ] || missing+=(pssh)
[ -x /usr/bin/clush ] || missing+=(clustershell)
[ -x /usr/bin/ansible ] || missing+=(ansible-core)
[ -x /usr/bin/time ] || missing+=(time)
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" install-bench-deps ${missing[@]+"${missing[@]}"}
