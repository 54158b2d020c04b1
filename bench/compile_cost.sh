#!/usr/bin/env bash
# Compile cost of the header on what a user writes, next to the same code written with
# httplib.h and nlohmann/json.hpp directly, at -O0 and -O2, all in the same run: every round
# compiles every file once, one compile at a time; each row gives the median and the spread
# (min-max) over the rounds of the compiler's CPU time (user + system: what the compile costs,
# unchanged by other jobs that make it wait for a core), its median wall time beside it (a wall
# time far above the CPU time says the machine was busy), and each library row its ratio (of
# the CPU medians) to the hand-written row.
#   one call    bench/compile_cost/baseline.cpp vs with_library.cpp: one runs().create call.
#               Goal: the header adds at most 25% (1.25x). The library file is also timed with
#               LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION, where one implementation unit (timed
#               once, below the table) compiles the client for the whole program.
#   round trip  bench/compile_cost/round_trip_baseline.cpp vs round_trip_with_library.cpp: the
#               quick start's round trip (a webhook receiver, a run created with it as its
#               webhook, waiting for the run's webhook), header-only and with separate
#               compilation. Goal: at most 1.25x. BEFORE=DIR adds the round trip with DIR's
#               langgraph_webhooks.hpp, to measure a change in the same run.
#   where it goes  include_only.cpp (the header included, nothing used) and receiver_only.cpp
#               (the round trip's receiver half, without the client call), each compared with
#               the hand-written round trip: what the header-only round trip's parts cost.
# Timing compiles only (-c); the programs are also linked once, outside the timing, so that
# every file is known to build.
#
#   bench/compile_cost.sh [ROUNDS]                  (default 3; CXX picks the compiler)
#   HTTPLIB_INCLUDE=DIR bench/compile_cost.sh ...   time against DIR/httplib.h instead of the
#       system's cpp-httplib (Debian's is a compiled library, found with pkg-config): DIR's
#       header-only cpp-httplib compiles its implementation in every file that includes it,
#       which is what vcpkg, conan and FetchContent users get.
set -euo pipefail
shopt -s inherit_errexit # a failed compile inside $(compile_ms ...) stops the script
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: compile_cost.sh [ROUNDS]" >&2; exit 2; }
cxx="${CXX:-c++}"
if [ -n "${HTTPLIB_INCLUDE:-}" ]; then
  [ -f "$HTTPLIB_INCLUDE/httplib.h" ] || { echo "compile_cost.sh: no httplib.h in $HTTPLIB_INCLUDE" >&2; exit 2; }
  read -ra flags <<<"$(pkg-config --cflags nlohmann_json)"
  flags=(-I"$(cd "$HTTPLIB_INCLUDE" && pwd)" "${flags[@]}")
  libs=(-pthread)
  kind="header-only, $HTTPLIB_INCLUDE"
else
  read -ra flags <<<"$(pkg-config --cflags cpp-httplib nlohmann_json)"
  read -ra libs <<<"$(pkg-config --libs cpp-httplib) -pthread"
  kind="the system's, a compiled library"
fi
out="$(mktemp -d)"
trap 'rm -rf -- "$out"' EXIT
src="$root/bench/compile_cost"
separate=-DLANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION
implementation="$root/tests/separate_compilation/instantiations.cpp"

compile_ms() { # object name, source, optimisation, extra flags... -> "cpu_ms wall_ms"
  local obj="$1" file="$2" opt="$3" t TIMEFORMAT='%3U %3S %3R'
  shift 3
  # the compiler's own diagnostics go to stderr (fd 3), the shell's timing is captured
  t=$({ time "$cxx" -std=c++17 "$opt" "$@" -I"$root" "${flags[@]}" -c "$file" -o "$out/$obj.o" 2>&3; } 3>&2 2>&1)
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%d %d\n", (a[1] + a[2]) * 1000, a[3] * 1000 }'
}
stats() { # "median min max" of the numbers on stdin
  sort -n | awk '{a[NR] = $1} END {
    m = (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2); print m, a[1], a[NR] }'
}
ratio() { awk -v b="$1" -v l="$2" 'BEGIN { printf "%.2fx", l / b }'; }
goal() { awk -v b="$1" -v l="$2" 'BEGIN { print (l <= 1.25 * b) ? "(goal <= 1.25x: met)" : "(goal <= 1.25x: MISSED)" }'; }

# Rows: object name | source | extra flags | label | the hand-written row it is compared with.
rows=(
  "base|baseline.cpp||one call, httplib + json by hand|"
  "lib|with_library.cpp||one call, header-only (default)|base"
  "sep|with_library.cpp|$separate|one call, separate compilation|base"
  "rt_base|round_trip_baseline.cpp||round trip, httplib + json by hand|"
  "rt_lib|round_trip_with_library.cpp||round trip, header-only (default)|rt_base"
  "rt_sep|round_trip_with_library.cpp|$separate|round trip, separate compilation|rt_base"
  "inc|include_only.cpp||include only, vs round trip by hand|rt_base"
  "recv|receiver_only.cpp||receiver half, vs round trip by hand|rt_base"
)
# BEFORE=DIR: also the round trip with DIR's langgraph_webhooks.hpp (an earlier version), so
# that a change's effect is measured in the same run.
if [ -n "${BEFORE:-}" ]; then
  [ -f "$BEFORE/langgraph_webhooks.hpp" ] || { echo "compile_cost.sh: no langgraph_webhooks.hpp in $BEFORE" >&2; exit 2; }
  rows+=("rt_before|round_trip_with_library.cpp|-I$(cd "$BEFORE" && pwd)|round trip, header-only, BEFORE|rt_base")
fi

version="$(echo '#include <httplib.h>' | "$cxx" -std=c++17 "${flags[@]}" -x c++ -E -dM - |
  awk '$2 == "CPPHTTPLIB_VERSION" { gsub(/"/, "", $3); print $3 }')"
echo "compile cost: $("$cxx" --version | head -n1); cpp-httplib ${version:-?} ($kind)"
echo "  compiler CPU time (user+sys), median (min-max) of $rounds rounds; one compile at a time, -c"
printf '  %-4s %-38s %9s %16s %10s  %s\n' opt file "cpu" "cpu min-max" "wall" "library / by hand"
# Warm-up, untimed: read every header once, so that the first timed compile finds them cached.
for file in round_trip_baseline.cpp round_trip_with_library.cpp; do # the others include no more
  "$cxx" -std=c++17 -I"$root" "${flags[@]}" -E "$src/$file" -o /dev/null
done
for opt in -O0 -O2; do
  declare -A cpu=() wall=() median=()
  for _ in $(seq "$rounds"); do
    for row in "${rows[@]}"; do
      IFS='|' read -r name file extra _ _ <<<"$row"
      # shellcheck disable=SC2086
      t=$(compile_ms "$name$opt" "$src/$file" "$opt" $extra)
      read -r c w <<<"$t"
      cpu[$name]+="$c " wall[$name]+="$w "
    done
  done
  for row in "${rows[@]}"; do
    IFS='|' read -r name _ _ label vs <<<"$row"
    read -ra ms <<<"${cpu[$name]}"
    read -r m lo hi < <(printf '%s\n' "${ms[@]}" | stats)
    read -ra ms <<<"${wall[$name]}"
    read -r w _ < <(printf '%s\n' "${ms[@]}" | stats)
    median[$name]=$m
    compared=""
    if [ -n "$vs" ]; then
      compared="$(ratio "${median[$vs]}" "$m")"
      case "$name" in lib | sep | rt_lib | rt_sep) compared+=" $(goal "${median[$vs]}" "$m")" ;; esac
    fi
    printf '  %-4s %-38s %6s ms %13s ms %7s ms  %s\n' "$opt" "$label" "$m" "$lo-$hi" "$w" "$compared"
  done
  unset cpu wall median
done

t=$(compile_ms impl "$implementation" -O2 "$separate")
read -r c w <<<"$t"
printf '  (separate compilation also compiles, once per program, the implementation unit: %s ms CPU, %s ms wall at -O2)\n' "$c" "$w"

# Link the programs once (the -O2 objects), outside the timing.
for name in base lib rt_base rt_lib sep rt_sep inc recv; do
  objects=("$out/$name-O2.o")
  if [ "$name" = sep ] || [ "$name" = rt_sep ]; then objects+=("$out/impl.o"); fi
  "$cxx" "${objects[@]}" -o "$out/$name" "${libs[@]}"
done
echo "  linked: baseline, with_library, round_trip_baseline, round_trip_with_library, include_only, receiver_only; with_library and round_trip_with_library (separate) + the implementation unit"
