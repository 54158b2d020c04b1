#!/usr/bin/env bash
# Compile cost of the header: how long a translation unit that includes langgraph_webhooks.hpp
# and makes one client call takes to compile, next to one that includes only httplib.h and
# nlohmann/json.hpp and makes the same call with them directly, at -O0 and -O2, in the same
# run (rounds alternate; the median is reported). Goal: the header adds at most 25%.
# Two library rows: header-only (the default) and the same unit built with
# LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION, where one implementation unit (timed once, below
# the table) compiles the client for the whole program.
#
#   bench/compile_cost.sh [ROUNDS]      (default 5; CXX picks the compiler)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
cxx="${CXX:-c++}"
flags="$(pkg-config --cflags cpp-httplib nlohmann_json)"
out="$(mktemp -d)"
trap 'rm -rf -- "$out"' EXIT

compile_ms() { # source, optimisation, extra flags...
  local src="$1" opt="$2" t0 t1
  shift 2
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$cxx" -std=c++17 "$opt" "$@" -I"$root" $flags -c "$src" -o "$out/x.o"
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
added() { awk -v b="$1" -v l="$2" 'BEGIN { printf "%+.0f%%", (l - b) * 100 / b }'; }
verdict() { awk -v b="$1" -v l="$2" 'BEGIN { print ((l - b) * 100 / b <= 25) ? "met" : "MISSED" }'; }

separate=-DLANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION
implementation="$root/tests/separate_compilation/instantiations.cpp"
echo "compile cost: $("$cxx" --version | head -n1), median of $rounds rounds"
printf '  %-4s %13s %21s %26s\n' opt "httplib+json" "+ header (default)" "+ header (separate comp.)"
for opt in -O0 -O2; do
  base=() lib=() sep=()
  for _ in $(seq "$rounds"); do
    base+=("$(compile_ms "$root/bench/compile_cost/baseline.cpp" "$opt")")
    lib+=("$(compile_ms "$root/bench/compile_cost/with_library.cpp" "$opt")")
    sep+=("$(compile_ms "$root/bench/compile_cost/with_library.cpp" "$opt" "$separate")")
  done
  b=$(printf '%s\n' "${base[@]}" | median)
  l=$(printf '%s\n' "${lib[@]}" | median)
  p=$(printf '%s\n' "${sep[@]}" | median)
  printf '  %-4s %10s ms %9s ms %5s %-6s %9s ms %5s %-6s\n' "$opt" "$b" "$l" "$(added "$b" "$l")" \
    "$(verdict "$b" "$l")" "$p" "$(added "$b" "$p")" "$(verdict "$b" "$p")"
done
echo "  (goal: at most +25%; separate compilation also compiles, once per program, the"
printf '   implementation unit: %s ms at -O2)\n' "$(compile_ms "$implementation" -O2 "$separate")"
