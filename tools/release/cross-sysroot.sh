#!/bin/sh
# Prints the path of a Debian sysroot for cross-compiling dokploy-provider to ARCH (e.g. arm64):
# the :ARCH builds of every -dev package the project links, from the host's Debian release and
# mirror including its security updates, unpacked with dpkg-deb -x into a private folder. The
# machine's own package state is not touched (no dpkg --add-architecture). Built once, cached in
# ${DPP_SYSROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dokploy-provider-build}/sysroot-<arch>-<hash>,
# in a temporary folder renamed into place under flock.
#
#   cross-sysroot.sh ARCH
set -eu

arch=${1:?usage: cross-sysroot.sh ARCH}
say() { printf 'cross-sysroot: %s\n' "$*" >&2; }

packages="libc6-dev libstdc++-12-dev libgcc-12-dev libpoco-dev libssh2-1-dev libssl-dev libcrypt-dev
  zlib1g-dev libboost-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev"

# shellcheck disable=SC1091 # the machine's own file
. /etc/os-release
suite=${VERSION_CODENAME:?cannot tell the Debian release from /etc/os-release}
# The host's mirrors (deb822 sources first, then sources.list), else Debian's own.
mirror='' security=''
sources=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -n "$sources" ]; then
  mirror=$(printf '%s\n' "$sources" | awk -v s="$suite" '
    /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) { print uri; exit } }')
  security=$(printf '%s\n' "$sources" | awk -v s="$suite-security" '
    /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == s) { print uri; exit } }')
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk -v s="$suite" '$1 == "deb" && $3 == s { print $2; exit }' /etc/apt/sources.list)
  security=$(awk -v s="$suite-security" '$1 == "deb" && $3 == s { print $2; exit }' /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=${security:-http://deb.debian.org/debian-security}

cache=${DPP_SYSROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dokploy-provider-build}
# The day is part of the recipe: a sysroot is rebuilt at most daily, so security updates arrive.
# shellcheck disable=SC2086 # the package list on one line
recipe="1 $arch $suite $mirror $security $(printf '%s ' $packages)$(date -u +%Y-%m-%d)"
name=sysroot-$arch-$(printf '%s' "$recipe" | sha256sum | cut -c1-12)
final=$cache/$name
if [ -d "$final" ]; then
  printf '%s\n' "$final"
  exit 0
fi
mkdir -p "$cache"
exec 9>"$cache/.sysroot-$arch.lock"
flock 9
if [ -d "$final" ]; then
  printf '%s\n' "$final"
  exit 0
fi
rm -rf "$cache/.sysroot-$arch.tmp."* "$cache"/sysroot-"$arch"-*  # dead builders' and older days'
tmp=$cache/.sysroot-$arch.tmp.$$
trap 'rm -rf "$tmp"' EXIT INT TERM
say "building the $arch sysroot from $mirror ($suite, with security updates) into $final"
mkdir -p "$tmp/apt/lists/partial" "$tmp/apt/archives/partial" "$tmp/apt/etc/preferences.d" "$tmp/root"
: >"$tmp/apt/status"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat >"$tmp/apt/etc/sources.list" <<SOURCES
deb [arch=$arch signed-by=$keyring] $mirror $suite main
deb [arch=$arch signed-by=$keyring] $mirror $suite-updates main
deb [arch=$arch signed-by=$keyring] $security $suite-security main
SOURCES
# A private apt: its own lists, cache and (empty) status; only $arch; nothing installed.
apt_private() {
  apt-get -q -o Dir::Etc="$tmp/apt/etc" -o Dir::Etc::SourceList="$tmp/apt/etc/sources.list" \
    -o Dir::Etc::SourceParts=/nonexistent -o Dir::Etc::PreferencesParts="$tmp/apt/etc/preferences.d" \
    -o Dir::State::Lists="$tmp/apt/lists" -o Dir::State::Status="$tmp/apt/status" \
    -o Dir::Cache="$tmp/apt" -o Dir::Cache::Archives="$tmp/apt/archives" \
    -o APT::Architecture="$arch" -o APT::Architectures="$arch" \
    -o APT::Install-Recommends=false -o Debug::NoLocking=true "$@"
}
apt_private update >"$tmp/apt.log" 2>&1 || { tail -n 20 "$tmp/apt.log" >&2; say "apt-get update failed"; exit 1; }
# shellcheck disable=SC2086 # one word per package
apt_private install --download-only -y $packages >>"$tmp/apt.log" 2>&1 ||
  { tail -n 20 "$tmp/apt.log" >&2; say "downloading the $arch packages failed"; exit 1; }
for deb in "$tmp"/apt/archives/*.deb; do
  dpkg-deb -x "$deb" "$tmp/root"
done
for deb in "$tmp"/apt/archives/*.deb; do basename "$deb"; done >"$tmp/root/.packages"
mv "$tmp/root" "$final"
say "$(wc -l <"$final/.packages") packages, $(du -sm "$final" | cut -f1) MiB"
printf '%s\n' "$final"
