#!/usr/bin/env bash
# Builds and runs tiny projects that use langgraph_webhooks the ways users get it: CMake
# find_package (after cmake --install), add_subdirectory, FetchContent from a local git
# repository, meson subproject, meson with the installed .pc, a plain compile of the copied
# header, pkg-config; the vcpkg port and the conan recipe as far as they can run offline; and
# a find_package asking for an incompatible version, which must be refused.
#
#   tests/consumers/run.sh [WORK_DIR]     (default build/consumers; wiped first)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/tests/consumers"
work="$(realpath -m "${1:-$root/build/consumers}")"
rm -rf -- "$work"
mkdir -p -- "$work"
fail() { echo "consumers: FAILED: $*" >&2; exit 1; }
check_run() { # name, binary
  local out
  out="$("$2")" || fail "$1: the consumer exited with $?"
  [[ "$out" == "consumer ok: langgraph_webhooks "* ]] || fail "$1: unexpected output '$out'"
  echo "consumers: $1: ok"
}
quiet() { "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; fail "$*"; }; }
no_dev_targets=(-DLANGGRAPH_WEBHOOKS_BUILD_TESTS=OFF -DLANGGRAPH_WEBHOOKS_BUILD_EXAMPLES=OFF
                -DLANGGRAPH_WEBHOOKS_BUILD_BENCHMARKS=OFF)

# The CMake install, used by find_package, pkg-config and the version check; it also installs
# the lgwh tool (built by default at top level).
prefix="$work/prefix"
quiet cmake -S "$root" -B "$work/install-build" -G Ninja "${no_dev_targets[@]}" -DCMAKE_INSTALL_PREFIX="$prefix"
quiet cmake --build "$work/install-build" # lgwh
quiet cmake --install "$work/install-build"
for f in include/langgraph_webhooks.hpp share/pkgconfig/langgraph_webhooks.pc \
         share/langgraph_webhooks/langgraph_webhooksConfig.cmake \
         share/langgraph_webhooks/langgraph_webhooksConfigVersion.cmake \
         share/langgraph_webhooks/langgraph_webhooksTargets.cmake \
         share/langgraph_webhooks/langgraph_webhooks_httplib.cmake; do
  [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done
[ "$("$prefix/bin/lgwh" --version)" = "lgwh $(sed -n 's/^#define LANGGRAPH_WEBHOOKS_VERSION_STRING "\(.*\)"$/\1/p' "$root/langgraph_webhooks.hpp")" ] \
  || fail "the installed lgwh does not run"
echo "consumers: cmake --install: ok"

cmake_consumer() { # project folder, cmake args...
  local name="$1"
  shift
  quiet cmake -S "$here/$name" -B "$work/$name" -G Ninja "$@"
  quiet cmake --build "$work/$name"
  check_run "$name" "$work/$name/consumer"
}
cmake_consumer cmake_find_package -DCMAKE_PREFIX_PATH="$prefix"
check_run "cmake_find_package (separate compilation)" "$work/cmake_find_package/consumer_separate"
cmake_consumer cmake_add_subdirectory -DLGW_SOURCE_DIR="$root"
cmake_consumer cmake_fetchcontent -DLGW_GIT_REPOSITORY="$root" -DLGW_GIT_TAG="$(git -C "$root" rev-parse HEAD)"

for wanted in 9.0 0.2; do
  if cmake -S "$here/cmake_wrong_version" -B "$work/wrong-$wanted" -DWANTED_VERSION="$wanted" \
       -DCMAKE_PREFIX_PATH="$prefix" >"$work/wrong-$wanted.log" 2>&1; then
    fail "find_package(langgraph_webhooks $wanted) was accepted"
  fi
  grep -q "not compatible\|no suitable version\|version: 0\." "$work/wrong-$wanted.log" ||
    fail "find_package($wanted) failed for another reason: $(tail -5 "$work/wrong-$wanted.log")"
done
echo "consumers: find_package refuses versions 9.0 and 0.2: ok"

meson_consumer() { # project folder, meson setup args...
  local name="$1" src="$work/$1-src"
  shift
  mkdir -p "$src"
  cp "$here/$name/meson.build" "$here/main.cpp" "$src/"
  if [ "$name" = meson_subproject ]; then
    mkdir -p "$src/subprojects"
    ln -s "$root" "$src/subprojects/langgraph_webhooks"
  fi
  quiet meson setup "$work/$name" "$src" "$@"
  quiet meson compile -C "$work/$name"
  check_run "$name" "$work/$name/consumer"
}
meson_consumer meson_subproject
if grep -q "unit_tests\|seed_flow\|lgwh" "$work/meson_subproject/build.ninja"; then
  fail "meson_subproject: tests, examples or tools were built inside the subproject"
fi
quiet meson setup "$work/meson-install-build" "$root" --prefix "$work/meson-prefix" -Dtests=false -Dexamples=false -Dbenchmarks=false -Dtools=false
quiet meson install -C "$work/meson-install-build"
PKG_CONFIG_PATH="$work/meson-prefix/share/pkgconfig" meson_consumer meson_pkgconfig

mkdir -p "$work/plain"
cp "$root/langgraph_webhooks.hpp" "$work/plain/"
# shellcheck disable=SC2046 # pkg-config prints a list of flags
quiet c++ -std=c++17 "$here/main.cpp" -I"$work/plain" $(pkg-config --cflags --libs cpp-httplib nlohmann_json) -pthread -o "$work/plain/consumer"
check_run "plain compile of the copied header" "$work/plain/consumer"
# shellcheck disable=SC2046
quiet c++ -std=c++17 "$here/main.cpp" $(PKG_CONFIG_PATH="$prefix/share/pkgconfig" pkg-config --cflags --libs langgraph_webhooks) -pthread -o "$work/plain/consumer-pc"
check_run "pkg-config langgraph_webhooks" "$work/plain/consumer-pc"

"$root/packaging/check-recipes.sh" "$work/recipes"
echo "consumers: all passed"
