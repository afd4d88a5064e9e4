#!/usr/bin/env bash
# Watchdog of one test sshd (spawned by sshd-server.ts with our stdin as a pipe from the test
# process). When that pipe closes, whatever the reason (normal exit, crash, SIGKILL), kill the
# sshd's process group and every descendant (per-connection sshd processes, user commands).
# Usage: sshd-watchdog.sh <sshd pid (= its process group id)>
root=$1
read -r _ignored || true
set -f
declare -A children
for st in /proc/[0-9]*/stat; do
  read -r line <"$st" 2>/dev/null || continue
  rest=${line##*) }
  fields=($rest)
  pid=${st//[!0-9]/}
  children[${fields[1]}]+=" $pid"
done
all=()
queue=("$root")
while [ "${#queue[@]}" -gt 0 ]; do
  p=${queue[0]}
  queue=("${queue[@]:1}")
  all+=("$p")
  queue+=(${children[$p]:-})
done
kill -TERM -- "-$root" "${all[@]}" 2>/dev/null
sleep 2
kill -KILL -- "-$root" 2>/dev/null
exit 0
