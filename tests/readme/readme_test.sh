#!/usr/bin/env bash
# README.md as a new user meets it, read from the README itself (nothing here repeats its
# lines, so they cannot drift):
#   1. every ```cpp block compiles as printed: whole programs as they are (-std=c++17), the
#      fragments inside a main() that includes the header, <cassert>, <iostream>, <mutex> and
#      <vector> and catches lgw::error (-std=c++20 where they use designated initializers);
#      each is then run against the local server ($LANGGRAPH_URL), except a fragment that binds
#      a fixed port (compiled only). The quick start must print the run's webhook.
#   2. in a fresh clone, with HOME in a scratch folder: the ```sh lines of the quick start's
#      local-server recipe and of "Installing", verbatim, one by one (`main.cpp` and
#      `./quickstart` are the quick start's program); the installed header and .pc are checked.
# Run through tests/e2e/with-server.sh (it sets LANGGRAPH_E2E_URL). `scripts/demo` and
# `scripts/test` (the two set-up lines) are what CI runs itself, so they are not replayed here.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readme="$root/README.md"
work="$(realpath -m "${1:-$root/build/readme}")"
rm -rf -- "$work"
mkdir -p -- "$work"
export LANGGRAPH_URL="${LANGGRAPH_E2E_URL:?run through tests/e2e/with-server.sh}"
fail() { echo "readme_test: FAILED: $*" >&2; exit 1; }
flags=($(pkg-config --cflags --libs cpp-httplib nlohmann_json) -pthread -Wall -Wextra -Werror)

# ```LANG blocks of README.md (optionally only under the heading SECTION) into DIR/1, DIR/2, ...
blocks() { # LANG DIR [SECTION]
  mkdir -p "$2"
  awk -v lang="$1" -v dir="$2" -v section="${3:-}" '
    /^## / { heading = substr($0, 4) }
    /^```/ { if (inside) { inside = 0; close(file); next }
             if ($0 == "```" lang && (section == "" || heading == section)) { inside = 1; file = dir "/" (++n); next } }
    inside { print > file }' "$readme"
}

echo "== the C++ blocks compile and run"
blocks cpp "$work/cpp"
count=0
for block in $(ls "$work/cpp" | sort -n); do
  src="$work/cpp/$block" cpp="$work/cpp/block$block.cpp" exe="$work/cpp/block$block"
  std=c++17
  if grep -q '^int main\|^#define\|^#include' "$src"; then
    cp "$src" "$cpp"
  else
    grep -q '({\.' "$src" && std=c++20
    {
      printf '#include "langgraph_webhooks.hpp"\n#include <cassert>\n#include <iostream>\n#include <mutex>\n#include <vector>\n'
      printf 'namespace lgw = langgraph::webhooks;\nint main() {\n  try {\n#line 1 "README.md cpp block %s"\n' "$block"
      cat "$src"
      printf '\n  } catch (const lgw::error &e) {\n    std::cerr << e.what() << %s;\n    return 2;\n  }\n}\n' "'\\n'"
    } >"$cpp"
  fi
  if grep -q '^int main' "$cpp"; then
    c++ -std=$std -I"$root" "$cpp" -o "$exe" "${flags[@]}" 2>"$work/cc.log" ||
      fail "cpp block $block does not compile: $(head -20 "$work/cc.log")"
    if grep -q 'o.port = [1-9]' "$src"; then
      echo "cpp block $block: compiles (binds a fixed port: not run)"
    else
      timeout 120 "$exe" >"$work/run$block.out" 2>&1 || fail "cpp block $block exited $?: $(tail -5 "$work/run$block.out")"
      echo "cpp block $block: compiles and runs"
    fi
  else # a file meant to be one of several (the separate-compilation unit)
    c++ -std=$std -I"$root" -c "$cpp" -o "$exe.o" $(pkg-config --cflags cpp-httplib nlohmann_json) 2>"$work/cc.log" ||
      fail "cpp block $block does not compile: $(head -20 "$work/cc.log")"
    echo "cpp block $block: compiles (a translation unit of a program)"
  fi
  count=$((count + 1))
done
[ "$count" -ge 5 ] || fail "found only $count C++ blocks in README.md"
grep -q '^webhook: success$' "$work/run1.out" || fail "the quick start did not print its webhook: $(cat "$work/run1.out")"

echo "== the README's shell lines, verbatim, in a fresh clone"
git clone -q "$root" "$work/clone"
# What is tested is the working tree as it would be committed (in CI, the fresh clone itself).
(cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | (cd "$work/clone" && tar -xf -)
mkdir -p "$work/home"
cp "$work/cpp/block1.cpp" "$work/clone/main.cpp"
cp "$work/cpp/block1" "$work/clone/quickstart"
# The clone uses this checkout's npm packages (the server's, and Node.js 20 where the system's
# is older) instead of downloading them again; its lock files are as old as theirs.
for d in tests/e2e tests/e2e/node-runtime; do
  if [ -d "$root/$d/node_modules" ]; then
    ln -s "$root/$d/node_modules" "$work/clone/$d/node_modules"
    touch -r "$root/$d/node_modules/.package-lock.json" "$work/clone/$d/package-lock.json" 2>/dev/null || true
  fi
done
mkdir -p "$work/tmp"
sandbox=(env -u LANGGRAPH_URL HOME="$work/home" TMPDIR="$work/tmp")
stop_recipe_server() { "${sandbox[@]}" "$work/clone/tests/e2e/server.sh" stop >/dev/null 2>&1 || true; }
trap stop_recipe_server EXIT
replay() { # SECTION NAME MIN_LINES: each ```sh block of SECTION as one shell session in the clone
  local dir="$work/sh-$2" n=0
  blocks sh "$dir" "$1"
  for block in $(ls "$dir" | sort -n); do
    n=$((n + $(grep -cv '^\s*\(#.*\)\?$' "$dir/$block")))
    (cd "$work/clone" && "${sandbox[@]}" bash -euxo pipefail "$dir/$block") >"$work/block.log" 2>&1 ||
      fail "README, $1, block $block exited $?: $(tail -20 "$work/block.log")"
    cat "$work/block.log"
    cat "$work/block.log" >>"$work/replay.log"
  done
  [ "$n" -ge "$3" ] || fail "expected at least $3 lines under '$1', found $n"
}
# The quick start's recipe starts its own server on port 2024 (when free): the URL it exports.
replay "Quick start: the round trip" quickstart 3
grep -q '^webhook: success$' "$work/replay.log" || fail "./quickstart against the recipe's server: $(cat "$work/replay.log")"
replay "Installing" installing 3
[ -f "$work/clone/a.out" ] || fail "the copy-the-header line made no program"
[ -f "$work/home/.local/include/langgraph_webhooks.hpp" ] || fail "cmake --install put no header under ~/.local"
cflags="$(PKG_CONFIG_PATH="$work/home/.local/share/pkgconfig" pkg-config --cflags langgraph_webhooks)"
inc="$(sed -n 's/.*-I\([^ ]*\/include\).*/\1/p' <<<"$cflags" | head -1)"
[ -f "$inc/langgraph_webhooks.hpp" ] || fail "the installed .pc points at '$inc', not at the installed header"
echo "readme_test: all passed"
