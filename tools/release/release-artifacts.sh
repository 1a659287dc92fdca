#!/bin/sh
# Assembles what a GitHub release of dokploy-provider publishes, in DIST: each bundle as
# dokploy-provider-<os>-<arch> with its .sha256, SHA256SUMS, and provider.yaml with `binaries:`
# filled from those very files. Before that, the bundle for this machine's architecture must run
# `plugins` from an empty cache with every plugin loaded, or nothing is published.
#
#   release-artifacts.sh DIST PROVIDER_YAML VERSION URL_BASE OS ARCH BUNDLE [OS ARCH BUNDLE]...
set -eu

say() { printf 'release-artifacts: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

if [ $# -lt 7 ] || [ $((($# - 4) % 3)) -ne 0 ]; then
  die "usage: release-artifacts.sh DIST PROVIDER_YAML VERSION URL_BASE OS ARCH BUNDLE..."
fi
dist=$1 provider_yaml=$2 version=$3 url_base=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)

case $(uname -m) in
  x86_64) native=amd64 ;;
  aarch64 | arm64) native=arm64 ;;
  *) native=$(uname -m) ;;
esac

rm -rf "$dist"
mkdir -p "$dist"
triples=
while [ $# -gt 0 ]; do
  os=$1 arch=$2 bundle=$3
  shift 3
  [ -f "$bundle" ] || die "$bundle was not built"
  name=dokploy-provider-$os-$arch
  cp "$bundle" "$dist/$name"
  chmod 0755 "$dist/$name"
  (cd "$dist" && sha256sum "$name" >"$name.sha256")
  triples="$triples $os $arch $dist/$name"
  if [ "$os" = linux ] && [ "$arch" = "$native" ]; then
    scratch=$(mktemp -d)
    # An empty home and cache, and no plugin path: only what the file carries can load.
    if ! env -i PATH=/usr/bin:/bin HOME="$scratch" XDG_CACHE_HOME="$scratch/cache" \
      "$dist/$name" plugins --output json >"$scratch/plugins.json" 2>"$scratch/stderr"; then
      cat "$scratch/stderr" "$scratch/plugins.json" >&2
      rm -rf "$scratch"
      die "$name: not every bundled plugin loads (above); nothing was published"
    fi
    rm -rf "$scratch"
    say "$name: every bundled plugin loads from an empty cache"
  fi
done

# shellcheck disable=SC2086 # one word per os, arch and file
sh "$here/provider-yaml.sh" release "$provider_yaml" "$dist/provider.yaml" "$version" "$url_base" $triples
(cd "$dist" && sha256sum dokploy-provider-* provider.yaml | grep -v '\.sha256$' >SHA256SUMS)
say "release $version in $dist:"
(cd "$dist" && ls -l) >&2
