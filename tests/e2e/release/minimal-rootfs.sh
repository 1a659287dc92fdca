#!/bin/sh
# Prints the path of a minimal Debian root filesystem (debootstrap --variant=minbase: no Poco,
# libssh2, spdlog, fmt, Boost, OpenSSL) for the release test, building it once. Cached like the
# workspace runner's (tests/emulator/workspace_runner/rootfs.py), in its own sub-folder:
# ${DPP_TEST_CACHE:-/var/cache/dokploy-provider-tests}/release-minbase/<suite>-<recipe hash>,
# built in a temporary folder and renamed into place under flock, so concurrent tests build it
# once and a folder under its final name is always complete. Root only.
#
#   minimal-rootfs.sh [SUITE]     (default bookworm: the oldest Debian the release supports)
set -eu

suite=${1:-bookworm}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cache=${DPP_TEST_CACHE:-/var/cache/dokploy-provider-tests}/release-minbase
clean_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { printf 'minimal-rootfs: %s\n' "$*" >&2; }

# The same mirror the workspace runner uses (the host's own apt source).
mirror=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from workspace_runner.rootfs import host_mirror; print(host_mirror())' \
  "$root/tests/emulator" 2>/dev/null || echo http://deb.debian.org/debian)
# Bump the leading number when the steps below change.
recipe="1 $suite $mirror $(uname -m) minbase"
name=$suite-$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
final=$cache/$name
if [ -d "$final" ]; then
  printf '%s\n' "$final"
  exit 0
fi

for tool in debootstrap unshare flock; do
  PATH=$clean_path command -v $tool >/dev/null 2>&1 || { say "needs $tool (apt-get install debootstrap util-linux)"; exit 1; }
done
mkdir -p "$cache"
exec 9>"$cache/.$name.lock"
flock 9
if [ -d "$final" ]; then  # built by another test while we waited
  printf '%s\n' "$final"
  exit 0
fi
rm -rf "$cache/.$name.tmp."*  # left by builders that died: we hold the lock
tmp=$cache/.$name.tmp.$$
say "building a minbase $suite root filesystem from $mirror into $final (once; takes minutes)"
# A private mount and PID namespace: whatever debootstrap mounts or starts goes with it.
if ! env -i PATH=$clean_path LC_ALL=C DEBIAN_FRONTEND=noninteractive \
  unshare --mount --propagation private --pid --fork --kill-child -- \
  debootstrap --variant=minbase --components=main "$suite" "$tmp" "$mirror" >"$cache/.$name.log" 2>&1; then
  tail -n 40 "$cache/.$name.log" >&2
  rm -rf "$tmp"
  say "debootstrap failed (log above)"
  exit 1
fi
# Small and neutral like a Docker image: no package lists or caches.
rm -rf "$tmp"/var/lib/apt/lists/*_* "$tmp"/var/cache/apt/*.bin "$tmp"/var/cache/apt/archives/*.deb
printf '127.0.0.1\tlocalhost\n' >"$tmp/etc/hosts"
: >"$tmp/etc/resolv.conf"
mv "$tmp" "$final"
printf '%s\n' "$recipe" >"$final.recipe"
rm -f "$cache/.$name.log"
printf '%s\n' "$final"
