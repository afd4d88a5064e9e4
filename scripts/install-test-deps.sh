#!/usr/bin/env bash
# Installs what the Remex test suites need on this machine (idempotent, quiet, fast when all is present).
# Run as root. Installs: openssh-server, sudo, acl, chromium, ansible, python3-requests, krb5-kdc, krb5-admin-server, krb5-user (apt); test users remex-test (passwordless sudo) and
# remex-other; /run/sshd; an "unreachable" route for 127.254.0.0/16 (testkit's unreachableAddress()).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install-test-deps: must run as root" >&2
  exit 1
fi

# Keep these in sync with packages/testkit/src/users/test-users.ts.
TEST_USER=remex-test
TEST_PASSWORD=remex-test-pw
OTHER_USER=remex-other
OTHER_PASSWORD=remex-other-pw
UNREACHABLE_NET=127.254.0.0/16

# 1. Debian packages.
missing=()
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)
command -v sudo >/dev/null 2>&1 || missing+=(sudo)
command -v setfacl >/dev/null 2>&1 || missing+=(acl)
command -v visudo >/dev/null 2>&1 || missing+=(sudo)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
[ -x /usr/bin/chromium ] || missing+=(chromium) # the web UI's browser test (playwright-core drives it)
# The Ansible collection test: Debian's `ansible` carries theforeman.foreman (whose module_utils
# vendor apypie); the collection needs Python's requests.
[ -d /usr/lib/python3/dist-packages/ansible_collections/theforeman/foreman ] || missing+=(ansible)
# Ansible runs Debian's /usr/bin/python3 (not a python3 earlier on PATH, e.g. pyenv's).
/usr/bin/python3 -c 'import requests' >/dev/null 2>&1 || missing+=(python3-requests)
# The OpenSSH transport's Kerberos test: an MIT KDC on loopback with a realm made per test run.
[ -x /usr/sbin/krb5kdc ] || missing+=(krb5-kdc)
[ -x /usr/sbin/kadmind ] || missing+=(krb5-admin-server)
command -v kinit >/dev/null 2>&1 || missing+=(krb5-user)
bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" install-test-deps ${missing[@]+"${missing[@]}"}

# 2. Runtime directories.
mkdir -p /run/sshd
chmod 0755 /run/sshd
[ -d /var/tmp ] || mkdir -p /var/tmp
chmod 1777 /var/tmp

# 3. Test users, with known passwords (sshd PasswordAuthentication needs an unlocked password).
ensure_user() {
  local name=$1 password=$2
  if ! id -u "$name" >/dev/null 2>&1; then
    useradd -m -s /bin/sh "$name"
  fi
  if [ "$(getent passwd "$name" | cut -d: -f7)" != /bin/sh ]; then
    usermod -s /bin/sh "$name"
  fi
  local home
  home=$(getent passwd "$name" | cut -d: -f6)
  if [ ! -d "$home" ]; then
    mkdir -p "$home"
    chown "$name:" "$home"
  fi
  # chpasswd rewrites /etc/shadow: only run it when the password does not verify already
  # (perl's crypt() is libc's, so it understands yescrypt/sha512 hashes).
  local current
  current=$(getent shadow "$name" | cut -d: -f2)
  if ! HASH="$current" PW="$password" perl -e 'exit((length($ENV{HASH}) > 2 && crypt($ENV{PW}, $ENV{HASH}) eq $ENV{HASH}) ? 0 : 1)'; then
    echo "$name:$password" | chpasswd
  fi
}
ensure_user "$TEST_USER" "$TEST_PASSWORD"
ensure_user "$OTHER_USER" "$OTHER_PASSWORD"

# 4. sudoers rules, each checked by visudo and installed 0440 when it differs.
ensure_sudoers() {
  local file=$1 wanted=$2
  if [ ! -f "$file" ] || [ "$(cat "$file")" != "$wanted" ]; then
    tmp=$(mktemp)
    printf '%s\n' "$wanted" >"$tmp"
    visudo -cqf "$tmp"
    install -m 0440 -o root -g root "$tmp" "$file"
    rm -f "$tmp"
  fi
  chmod 0440 "$file"
}
# Passwordless sudo for the test user.
ensure_sudoers /etc/sudoers.d/remex-test "$TEST_USER ALL=(ALL) NOPASSWD: ALL"
# sudo that asks for a password: the second user may run commands as the test user after giving
# its own password (effective-user password tests). No lecture, one try.
ensure_sudoers /etc/sudoers.d/remex-test-password "Defaults:$OTHER_USER lecture=never, passwd_tries=1
$OTHER_USER ALL=($TEST_USER) ALL"

# 5. Loopback addresses that refuse to route (EHOSTUNREACH), for "unreachable host" tests.
#    Optional: needs CAP_NET_ADMIN; without it testkit's unreachableAddress() is only unreachable
#    on ports where nothing listens.
if ! ip route show table local 2>/dev/null | grep -q "^unreachable $UNREACHABLE_NET"; then
  ip route add unreachable "$UNREACHABLE_NET" table local 2>/dev/null \
    || echo "install-test-deps: warning: could not add the unreachable route for $UNREACHABLE_NET" >&2
fi
exit 0
