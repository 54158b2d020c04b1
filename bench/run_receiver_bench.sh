#!/usr/bin/env bash
# Webhook deliveries per second on loopback: lgw::webhook_server next to a bare cpp-httplib +
# nlohmann::json receiver and a Node `http` + JSON.parse receiver, in the same run, with a
# ~2 KB and a ~64 KB LangGraph-shaped payload at 8 and 64 keep-alive connections. The
# receiver is pinned to one core and wrk to another. Builds and installs nothing:
#
#   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
#         -DLANGGRAPH_WEBHOOKS_BUILD_TESTS=OFF -DLANGGRAPH_WEBHOOKS_BUILD_EXAMPLES=OFF
#   cmake --build build/bench --target receiver_throughput
#   bench/run_receiver_bench.sh [options] [path/to/receiver_throughput]
#
# Options (or the environment variable in brackets):
#   --duration S   seconds of each measured wrk run [DURATION, 5]
#   --warmup S     seconds of an unmeasured wrk run just before it, on the same process [WARMUP, 1]
#   --rounds N     measurements of each receiver per cell, interleaved; the median is shown [ROUNDS, 3]
#   --connections "8 64"   [CONNECTIONS]     --sizes "2k 64k"   [SIZES]
#   --server-cpu 0 --client-cpu 1            [SERVER_CPU, CLIENT_CPU]
#   --quiet-wait S     wait up to S seconds for the machine to be idle before each run [QUIET_WAIT, 30]
#   --max-other-cpu P  a run during which other processes used over P% of the server's core is
#                      noisy, as is one where wrk and others used over 90% of the client's [MAX_OTHER_CPU, 15]
#   --retries N        measure a noisy run again up to N times; still noisy: marked * [RETRIES, 3]
#
# Every run is checked: wrk saw no socket error and no non-2xx answer, and the receiver's own
# count of validated deliveries V satisfies T <= V <= T + C*W, T being the responses wrk
# counted over its W runs against that process (warm-up and measured) and C the connections:
# a receiver counts a delivery before answering it, and when wrk stops at its deadline it
# drops up to one request per connection whose answer it has not read (counted by the receiver,
# not by wrk). Exits 1 if any check fails; a missed throughput goal is reported, not fatal.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

duration="${DURATION:-5}"
warmup="${WARMUP:-1}"
rounds="${ROUNDS:-3}"
connections="${CONNECTIONS:-8 64}"
sizes="${SIZES:-2k 64k}"
server_cpu="${SERVER_CPU:-0}"
client_cpu="${CLIENT_CPU:-1}"
max_other="${MAX_OTHER_CPU:-15}"
retries="${RETRIES:-3}"
quiet_wait="${QUIET_WAIT:-30}"
bin=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --server-cpu) server_cpu="$2"; shift 2 ;;
    --client-cpu) client_cpu="$2"; shift 2 ;;
    --max-other-cpu) max_other="$2"; shift 2 ;;
    --retries) retries="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) bin="$1"; shift ;;
  esac
done
bin="${bin:-$repo/build/bench/bench/receiver_throughput}"

# ---- what must be there -------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v node >/dev/null || missing+=(nodejs)
command -v taskset >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  echo "missing: ${missing[*]}; install with:  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if [[ ! -x "$bin" ]]; then
  echo "no receiver_throughput binary at $bin; build it (Release) with:" >&2
  echo "  cmake -S $repo -B $repo/build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DLANGGRAPH_WEBHOOKS_BUILD_TESTS=OFF -DLANGGRAPH_WEBHOOKS_BUILD_EXAMPLES=OFF" >&2
  echo "  cmake --build $repo/build/bench --target receiver_throughput" >&2
  exit 1
fi
ncpu="$(nproc --all)"
if ((server_cpu >= ncpu || client_cpu >= ncpu || server_cpu == client_cpu)); then
  echo "need two distinct cores (server $server_cpu, client $client_cpu; this machine has $ncpu)" >&2
  exit 1
fi
lua="$here/receiver_throughput.lua"
node_receiver="$here/node_receiver.mjs"
declare -A payload=([2k]="$here/payloads/run_2k.json" [64k]="$here/payloads/run_64k.json")
for s in $sizes; do
  [[ -n "${payload[$s]:-}" && -f "${payload[$s]}" ]] || { echo "no payload for size '$s' (have: ${!payload[*]})" >&2; exit 1; }
done

# ---- processes we start, stopped by PID ---------------------------------------------------
work="$(mktemp -d)"
live_pids=()
cleanup() {
  local p
  for p in "${live_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${live_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
  local keep=() p
  for p in "${live_pids[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
  live_pids=("${keep[@]+"${keep[@]}"}")
}

# Waits (up to --quiet-wait s) until the machine is idle enough to measure: other processes on a
# 2-core box (a compiler, a test run) would be measured as receiver slowness.
wait_quiet() {
  local i a b busy=0 k
  for ((i = 0; i < quiet_wait * 2; ++i)); do
    read -ra a </proc/stat
    sleep 0.5
    read -ra b </proc/stat
    # fields: user nice system idle iowait irq softirq steal
    local total=0 idle=$(((b[4] - a[4]) + (b[5] - a[5])))
    for k in 1 2 3 4 5 6 7 8; do total=$((total + b[k] - a[k])); done
    busy=$(((total - idle) * 100 / (total > 0 ? total : 1)))
    if ((busy <= 10)); then return 0; fi
    if ((i == 0)); then printf '  (machine busy: %d%% of all cores before the run; waiting)\n' "$busy" >&2; fi
  done
  printf '  (still %d%% busy after %s s: measuring anyway)\n' "$busy" "$quiet_wait" >&2
}

cpu_ticks() { # utime + stime of a process, in clock ticks
  local f
  read -ra f < <(sed 's/^.*) //' "/proc/$1/stat")
  echo $((f[11] + f[12]))
}

# start_receiver NAME -> sets rpid, rport, rout
start_receiver() {
  rout="$work/$1.out"
  : >"$rout"
  case "$1" in
    node) taskset -c "$server_cpu" node "$node_receiver" --port 0 >"$rout" 2>"$work/$1.err" & ;;
    *) taskset -c "$server_cpu" "$bin" --receiver "$1" --port 0 >"$rout" 2>"$work/$1.err" & ;;
  esac
  rpid=$!
  live_pids+=("$rpid")
  local i
  for ((i = 0; i < 150; ++i)); do
    rport="$(awk '$1 == "port" { print $2 }' "$rout")"
    [[ -n "$rport" ]] && return 0
    if ! kill -0 "$rpid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "receiver $1 did not start:" >&2
  cat "$work/$1.err" >&2
  exit 1
}

# stop_receiver -> sets rcount (the receiver's own count of validated deliveries)
stop_receiver() {
  kill -TERM "$rpid"
  wait "$rpid" || { echo "receiver exited with status $?:" >&2; cat "$rout" "$work/"*.err >&2; exit 1; }
  forget_pid "$rpid"
  rcount="$(awk '$1 == "validated" { print $2 }' "$rout")"
  [[ -n "$rcount" ]] || { echo "receiver printed no count" >&2; cat "$rout" >&2; exit 1; }
}

# run_wrk CONNS SECS PAYLOAD SALT -> sets w_requests w_non2xx w_socket w_secs w_max_ms (the
# slowest answer) w_cpu (wrk's CPU use in % of its core: near 100 would mean the load
# generator is the limit)
run_wrk() {
  local out="$work/wrk.out"
  TIMEFORMAT='%U %S %R'
  { time taskset -c "$client_cpu" wrk -t2 -c"$1" -d"$2"s --timeout 10s -s "$lua" \
      "http://127.0.0.1:$rport/langgraph/webhook?token=bench-token" -- "$3" "$4" >"$out" 2>&1; } 2>"$work/wrk.time" ||
    { echo "wrk failed:" >&2; cat "$out" >&2; exit 1; }
  local line
  line="$(grep '^WRK_RESULT' "$out")" || { echo "wrk printed no result:" >&2; cat "$out" >&2; exit 1; }
  local kv duration_us=0
  w_requests=0 w_non2xx=0 w_socket=0 w_max_ms=0
  for kv in ${line#WRK_RESULT }; do
    case "${kv%%=*}" in
      requests) w_requests="${kv#*=}" ;;
      non2xx) w_non2xx="${kv#*=}" ;;
      connect | read | write | timeout) w_socket=$((w_socket + ${kv#*=})) ;;
      duration_us) duration_us="${kv#*=}" ;;
      max_us) w_max_ms="$(awk -v us="${kv#*=}" 'BEGIN { printf "%.0f", us / 1000 }')" ;;
    esac
  done
  w_secs="$(awk -v us="$duration_us" 'BEGIN { printf "%.3f", us / 1e6 }')"
  w_cpu="$(awk '{ printf "%.0f", ($3 > 0 ? ($1 + $2) / $3 * 100 : 0) }' "$work/wrk.time")"
}

busy_ticks() { # busy clock ticks of core $1 so far (user nice system irq softirq steal)
  local c
  read -ra c < <(grep "^cpu$1 " /proc/stat)
  echo $((c[1] + c[2] + c[3] + c[6] + c[7] + c[8]))
}

# measure RECEIVER SIZE CONNS -> one fresh receiver process, warm-up, measured run, checks.
# Sets rate, total, rcount, srv_cpu and w_cpu (CPU used by the receiver and by wrk, in % of
# their core), other_srv and other_cli (CPU used by anything else on the server's and on the
# client's core: other processes, the hypervisor's steal) and check.
measure() {
  local recv="$1" size="$2" conns="$3" wruns=0 bad_warm=0 c0 c1 s0 s1 k0 k1 hz
  hz="$(getconf CLK_TCK)"
  start_receiver "$recv"
  total=0
  if [[ "$warmup" != 0 ]]; then
    salt=$((salt + 1))
    run_wrk "$conns" "$warmup" "${payload[$size]}" "$salt"
    total=$((total + w_requests)); wruns=$((wruns + 1))
    bad_warm=$((w_non2xx + w_socket))
  fi
  c0="$(cpu_ticks "$rpid")"; s0="$(busy_ticks "$server_cpu")"; k0="$(busy_ticks "$client_cpu")"
  salt=$((salt + 1))
  run_wrk "$conns" "$duration" "${payload[$size]}" "$salt"
  c1="$(cpu_ticks "$rpid")"; s1="$(busy_ticks "$server_cpu")"; k1="$(busy_ticks "$client_cpu")"
  total=$((total + w_requests)); wruns=$((wruns + 1))
  stop_receiver
  rate="$(awk -v n="$w_requests" -v s="$w_secs" 'BEGIN { printf "%.0f", n / s }')"
  srv_cpu="$(awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$w_secs" 'BEGIN { printf "%.0f", t / hz / s * 100 }')"
  other_srv="$(awk -v b=$((s1 - s0)) -v t=$((c1 - c0)) -v hz="$hz" -v s="$w_secs" \
    'BEGIN { o = (b - t) / hz / s * 100; printf "%.0f", o < 0 ? 0 : o }')"
  other_cli="$(awk -v b=$((k1 - k0)) -v hz="$hz" -v s="$w_secs" -v w="$w_cpu" \
    'BEGIN { o = b / hz / s * 100 - w; printf "%.0f", o < 0 ? 0 : o }')"
  check=ok
  if ((w_non2xx + w_socket + bad_warm > 0)); then
    check="FAIL: non-2xx=$w_non2xx socket errors=$w_socket (warm-up: $bad_warm)"
  elif ((rcount < total || rcount > total + conns * wruns)); then
    check="FAIL: receiver validated $rcount, wrk counted $total 2xx"
  elif ((rcount > total)); then
    check="ok (+$((rcount - total)) in flight at wrk's stop)"
  fi
}

failures=0
declare -A results  # "size conns receiver" -> space-separated req/s of each round
declare -A noisy_cell
salt=0
printf 'receiver_throughput: %s\nserver on core %s, wrk -t2 on core %s; %ss measured after %ss warm-up, %s round(s), median shown\n' \
  "$bin" "$server_cpu" "$client_cpu" "$duration" "$warmup" "$rounds"
printf 'payloads: %s\n' "$(for s in $sizes; do printf '%s=%s bytes ' "$s" "$(stat -c %s "${payload[$s]}")"; done)"
printf 'node %s, wrk %s\n' "$(node --version)" "$(wrk --version 2>&1 | head -1 | awk '{ print $2 }')"
printf 'srv-cpu, wrk-cpu: CPU used by the receiver, by wrk, in %% of its core; other: by anything else on\n'
printf 'the server core / the client core. A run is noisy (measured again, up to %s times) when other\n' "$retries"
printf 'processes took over %s%% of the server core, or wrk plus others over 90%% of the client core.\n' "$max_other"
printf 'max-ms: the slowest answer of the measured run (wrk latency max).\n\n'
printf '%-5s %5s %-5s %5s %10s %10s %9s %8s %7s %9s %7s  %s\n' size conns recv round req/s responses validated srv-cpu wrk-cpu 'other s/c' max-ms check
for size in $sizes; do
  for conns in $connections; do
    for ((round = 1; round <= rounds; ++round)); do
      for recv in lgw bare node; do
        for ((attempt = 0; ; ++attempt)); do
          noisy=0
          wait_quiet
          measure "$recv" "$size" "$conns"
          if ((other_srv > max_other || w_cpu + other_cli > 90)); then noisy=1; fi
          if ((noisy)) && [[ "$check" == ok* ]] && ((attempt < retries)); then
            printf '%-5s %5s %-5s %5s %10s %10s %9s %7s%% %6s%% %8s%% %7s  %s\n' "$size" "$conns" "$recv" "$round" "$rate" "$total" "$rcount" "$srv_cpu" "$w_cpu" "$other_srv/$other_cli" "$w_max_ms" "(machine busy: measuring again)"
            continue
          fi
          break
        done
        [[ "$check" == ok* ]] || failures=$((failures + 1))
        if ((noisy)); then
          noisy_cell["$size $conns"]=1
          check+=" *noisy"
        fi
        results["$size $conns $recv"]+="$rate "
        printf '%-5s %5s %-5s %5s %10s %10s %9s %7s%% %6s%% %8s%% %7s  %s\n' "$size" "$conns" "$recv" "$round" "$rate" "$total" "$rcount" "$srv_cpu" "$w_cpu" "$other_srv/$other_cli" "$w_max_ms" "$check"
      done
    done
  done
done

median() { tr ' ' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo
echo "Webhook deliveries per second (median of $rounds), every delivery validated and counted by the receiver"
printf '%-5s %5s %10s %10s %10s %16s %16s  %s\n' size conns lgw bare node 'lgw/node (>=1.0)' 'lgw/bare (>=1.3)' goals
all_met=1
for size in $sizes; do
  for conns in $connections; do
    lr="$(median "${results["$size $conns lgw"]}")"
    br="$(median "${results["$size $conns bare"]}")"
    nr="$(median "${results["$size $conns node"]}")"
    read -r rn rb met < <(awk -v l="$lr" -v b="$br" -v n="$nr" 'BEGIN {
      rn = l / n; rb = l / b; printf "%.2f %.2f %s\n", rn, rb, (rn >= 1.0 && rb >= 1.3) ? "met" : "MISSED" }')
    [[ "$met" == met ]] || all_met=0
    mark=""
    if [[ -n "${noisy_cell["$size $conns"]:-}" ]]; then mark=" (* machine was busy)"; fi
    printf '%-5s %5s %10.0f %10.0f %10.0f %15sx %15sx  %s%s\n' "$size" "$conns" "$lr" "$br" "$nr" "$rn" "$rb" "$met" "$mark"
  done
done
echo
((all_met)) && echo "goals: met at every size and connection count" || echo "goals: MISSED somewhere (see above)"
if ((failures)); then
  echo "$failures run(s) failed their correctness check" >&2
  exit 1
fi
