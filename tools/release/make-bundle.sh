#!/bin/sh
# Builds one release bundle: stages the plugins and every shared library they need that is not
# part of glibc (Poco, OpenSSL, libssh2, libstdc++, …) with RUNPATHs that make them find each
# other ($ORIGIN), then appends them to a stripped copy of the host with dpp-bundle-pack.
#
#   make-bundle.sh PACKER HOST OUTPUT WORK_DIR LIBRARY_DIRS PLUGIN...
#
# LIBRARY_DIRS: ':'-separated folders to find libraries in, by soname (for a cross build: the
# target sysroot's). Tools from the environment: READELF, PATCHELF, STRIP (default: from PATH;
# all three handle ELF files of any architecture except strip, hence STRIP for cross builds).
set -eu

if [ $# -lt 6 ]; then
  echo "usage: make-bundle.sh PACKER HOST OUTPUT WORK_DIR LIBRARY_DIRS PLUGIN..." >&2
  exit 2
fi
packer=$1 host=$2 output=$3 work=$4 library_dirs=$5
shift 5
readelf=${READELF:-readelf}
patchelf=${PATCHELF:-patchelf}
strip=${STRIP:-strip}

say() { printf 'make-bundle: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

command -v "$patchelf" >/dev/null 2>&1 || die "patchelf is missing (apt-get install patchelf)"
command -v "$readelf" >/dev/null 2>&1 || die "readelf is missing (apt-get install binutils)"

# glibc's own libraries: every Linux system has them, and they must match its dynamic loader.
is_glibc() {
  case $1 in
    libc.so.* | libm.so.* | libdl.so.* | libpthread.so.* | librt.so.* | libresolv.so.* | \
      libutil.so.* | libanl.so.* | libmvec.so.* | libBrokenLocale.so.* | libnss_*.so.* | ld-linux*.so.*)
      return 0 ;;
  esac
  return 1
}

needed_of() {
  "$readelf" -dW "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\].*/\1/p'
}

find_library() {  # find_library SONAME: the first LIBRARY_DIRS entry that has it
  old_ifs=$IFS
  IFS=:
  for dir in $library_dirs; do
    if [ -e "$dir/$1" ]; then
      IFS=$old_ifs
      printf '%s\n' "$dir/$1"
      return 0
    fi
  done
  IFS=$old_ifs
  return 1
}

payload=$work/payload
rm -rf "$work"
mkdir -p "$payload/plugins" "$payload/lib"

queue=
for plugin in "$@"; do
  [ -f "$plugin" ] || die "plugin $plugin was not built"
  cp "$plugin" "$payload/plugins/"
  queue="$queue $(needed_of "$plugin" | tr '\n' ' ')"
done

# Breadth-first over the NEEDED entries until every non-glibc library is staged.
while [ -n "$(printf '%s' "$queue" | tr -d ' ')" ]; do
  next=
  for soname in $queue; do
    is_glibc "$soname" && continue
    [ -e "$payload/lib/$soname" ] && continue
    file=$(find_library "$soname") || die "cannot find $soname (needed by the plugins) in $library_dirs"
    cp -L "$file" "$payload/lib/$soname"
    next="$next $(needed_of "$payload/lib/$soname" | tr '\n' ' ')"
  done
  queue=$next
done

# RUNPATH (not RPATH): plugins look in ../lib, libraries beside themselves. RUNPATH applies to
# an object's own NEEDED entries only, so every library gets one.
# shellcheck disable=SC2016 # $ORIGIN is for the dynamic loader, not the shell
for file in "$payload"/plugins/*; do
  "$strip" --strip-unneeded "$file"
  "$patchelf" --set-rpath '$ORIGIN/../lib' "$file"
done
# shellcheck disable=SC2016 # as above
for file in "$payload"/lib/*; do
  "$patchelf" --set-rpath '$ORIGIN' "$file"
done
chmod 0644 "$payload"/plugins/* "$payload"/lib/*

cp "$host" "$work/host"
"$strip" --strip-all "$work/host"
for file in "$work/host" "$payload"/plugins/* "$payload"/lib/*; do
  "$readelf" -dW "$file" | grep -q '(NEEDED)' || continue
  for soname in $(needed_of "$file"); do
    is_glibc "$soname" || [ -e "$payload/lib/$soname" ] || die "$file needs $soname, which is neither glibc nor bundled"
  done
done

# The newest glibc symbol version anything needs: the oldest system the bundle runs on.
glibc=$("$readelf" -VW "$work/host" "$payload"/plugins/* "$payload"/lib/* |
  grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -t. -k1,1n -k2,2n -k3,3n -u | tail -n 1)
printf '%s\n' "$glibc" >"$work/glibc-version"

mkdir -p "$(dirname "$output")"
"$packer" pack "$work/host" "$payload" "$output" >&2
count() { set -- "$1"/*; echo $#; }
say "$(basename "$output"): $(count "$payload/plugins") plugins, $(count "$payload/lib") libraries, needs glibc >= $glibc"
