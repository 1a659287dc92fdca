#!/bin/sh
# Runs the benchmark suite on a build tree and writes BENCHMARKS.md (see bench/README.md).
#   tools/dev bench            build the release preset, then the full suite (5–7 minutes)
#   bench/run.sh [--quick] [--build-dir DIR] [--output FILE] [--only LIST] [--wait-for-quiet S] [--hold]
# --wait-for-quiet S: wait up to S seconds (default 120, or $DPP_BENCH_WAIT_FOR_QUIET) for a load
# average below 1 before measuring; 0 measures at once.
# --hold: start the emulators and sshd, make the workspace machine, write an env.sh for it and
# wait (profile the provider by hand: perf, strace, heaptrack); see bench/README.md.
# --quick: seconds, small transfers, no waiting for a quiet machine; writes into the build tree
# unless --output is given. The full run measures the release bundle (what DevPod downloads),
# warm: its plugins are unpacked on the first, unmeasured run.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
# An older tools/dev passed its own verb along.
if [ "${1:-}" = bench ]; then shift; fi
arguments="$*"

build=$root/build/release
output=
quick=
hold=
only=
# A shared machine may never get quiet: wait a little, then measure anyway (the load at the start
# and the end go into BENCHMARKS.md; the ratios are taken side by side, so they stand).
wait_s=${DPP_BENCH_WAIT_FOR_QUIET:-120}
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --hold) hold=1 ;;
    --build-dir) build=$2; shift ;;
    --output) output=$2; shift ;;
    --only) only=$2; shift ;;
    --wait-for-quiet) wait_s=$2; shift ;;
    *) echo "bench/run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
build=$(cd "$build" && pwd)
# The command that reproduces this run, for BENCHMARKS.md: tools/dev bench builds build/release.
if [ "$build" = "$root/build/release" ]; then
  invocation="\`tools/dev bench${arguments:+ $arguments}\` (builds the release preset, then runs \`bench/run.sh${arguments:+ $arguments}\`)"
else
  invocation="\`bench/run.sh${arguments:+ $arguments}\`"
fi
driver=$build/bin/dpp-bench
[ -x "$driver" ] || { echo "bench/run.sh: $driver is not built (tools/dev bench builds it)" >&2; exit 2; }

provider=$build/bin/dokploy-provider
provider_text="the build tree's dokploy-provider and plugins ($build)"
bundle=$(ls "$build"/bundle/dokploy-provider-linux-* 2>/dev/null | head -n 1 || true)
if [ -z "$quick" ]; then
  # The full run measures what DevPod downloads: the release bundle.
  if [ -z "$bundle" ]; then
    cmake --build "$build" --target dpp-bundle >/dev/null
    bundle=$(ls "$build"/bundle/dokploy-provider-linux-* | head -n 1)
  fi
  provider=$bundle
  provider_text="the release bundle $(basename "$bundle") (plugins unpacked to XDG_CACHE_HOME by a first, unmeasured run: warm)"
  [ -n "$output" ] || output=$root/BENCHMARKS.md
else
  [ -n "$output" ] || output=$build/bench-quick/BENCHMARKS.md
  wait_s=0
fi
mkdir -p "$(dirname "$output")"

set -- --provider "$provider" --provider-text "$provider_text" --output "$output" \
  --notes "$root/bench/notes.md" --wait-for-quiet "$wait_s" \
  --command "${DPP_BENCH_COMMAND:-$invocation}"
[ -x "$build/bin/dpp_bench_inprocess" ] && set -- "$@" --inprocess "$build/bin/dpp_bench_inprocess"
[ -n "$bundle" ] && set -- "$@" --bundle "$bundle"
[ -n "$quick" ] && set -- "$@" --quick
[ -n "$hold" ] && set -- "$@" --hold
[ -n "$only" ] && set -- "$@" --only "$only"
exec "$driver" "$@"
