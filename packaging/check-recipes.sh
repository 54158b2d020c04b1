#!/usr/bin/env bash
# Checks the vcpkg port and the conan recipe offline (neither tool can be installed here):
# runs the portfile with stand-ins for vcpkg's helpers and builds a find_package consumer
# against what it installed; runs the conan recipe against stand-ins for conan's API and builds
# its test_package against the CMake package.
#
#   packaging/check-recipes.sh WORK_DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(realpath -m "$1")"
rm -rf -- "$work"
mkdir -p -- "$work"
log="$work/check.log"
quiet() { "$@" >"$log" 2>&1 || { cat "$log" >&2; echo "check-recipes: FAILED: $*" >&2; exit 1; }; }

quiet cmake -DSOURCE="$root" -DWORK="$work/vcpkg" -P "$root/packaging/vcpkg/check-port.cmake"
quiet cmake -S "$root/tests/consumers/cmake_find_package" -B "$work/vcpkg-consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/vcpkg/packages"
quiet cmake --build "$work/vcpkg-consumer"
"$work/vcpkg-consumer/consumer" | grep -q "^consumer ok" || { echo "check-recipes: vcpkg consumer failed" >&2; exit 1; }
echo "consumers: vcpkg port (offline, portfile run with stand-ins; find_package consumer): ok"

# The release procedure: release.sh fills in the port's source from an archive of a commit.
cp "$root/packaging/vcpkg/ports/langgraph-webhooks/portfile.cmake" "$work/portfile.cmake"
git -C "$root" archive --format=tar.gz --prefix=langgraph_webhooks/ -o "$work/src.tar.gz" HEAD
PORTFILE="$work/portfile.cmake" quiet "$root/packaging/release.sh" someone/langgraph_webhooks 0123abc "$work/src.tar.gz"
grep -q '^    REPO someone/langgraph_webhooks$' "$work/portfile.cmake" &&
  grep -q '^    REF "0123abc"$' "$work/portfile.cmake" &&
  grep -q "^  set(release_sha512 $(sha512sum "$work/src.tar.gz" | cut -d' ' -f1)) #" "$work/portfile.cmake" ||
  { echo "check-recipes: release.sh did not fill in the port" >&2; exit 1; }
echo "consumers: packaging/release.sh fills in the vcpkg port's REPO, REF and SHA512: ok"

python3 "$root/packaging/conan/check_offline.py" "$work/conan"
quiet cmake -S "$root/packaging/conan/test_package" -B "$work/conan-test_package" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/vcpkg/packages"
quiet cmake --build "$work/conan-test_package"
quiet "$work/conan-test_package/test_package"
echo "consumers: conan recipe (offline, recipe run with stand-ins; test_package built): ok"
