#!/usr/bin/env bash
# Compile cost of the header: how long a translation unit that includes langgraph_webhooks.hpp
# and makes one client call takes to compile, next to one that includes only httplib.h and
# nlohmann/json.hpp and makes the same call with them directly, at -O0 and -O2, in the same
# run (rounds alternate; the median is reported). Goal: the header adds at most 25%.
#
#   bench/compile_cost.sh [ROUNDS]      (default 5; CXX picks the compiler)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
cxx="${CXX:-c++}"
flags="$(pkg-config --cflags cpp-httplib nlohmann_json)"
out="$(mktemp -d)"
trap 'rm -rf -- "$out"' EXIT

compile_ms() { # source, optimisation
  local t0 t1
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$cxx" -std=c++17 "$2" -I"$root" $flags -c "$1" -o "$out/x.o"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

echo "compile cost: $("$cxx" --version | head -n1), median of $rounds rounds"
printf '  %-4s %14s %14s %8s\n' opt "httplib+json" "+ the header" added
for opt in -O0 -O2; do
  base=() lib=()
  for _ in $(seq "$rounds"); do
    base+=("$(compile_ms "$root/bench/compile_cost/baseline.cpp" "$opt")")
    lib+=("$(compile_ms "$root/bench/compile_cost/with_library.cpp" "$opt")")
  done
  b=$(printf '%s\n' "${base[@]}" | median)
  l=$(printf '%s\n' "${lib[@]}" | median)
  added=$(awk -v b="$b" -v l="$l" 'BEGIN { printf "%+.0f%%", (l - b) * 100 / b }')
  verdict=$(awk -v b="$b" -v l="$l" 'BEGIN { print ((l - b) * 100 / b <= 25) ? "goal <= 25%: met" : "goal <= 25%: MISSED" }')
  printf '  %-4s %11s ms %11s ms %8s  (%s)\n' "$opt" "$b" "$l" "$added" "$verdict"
done
