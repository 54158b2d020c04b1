#!/usr/bin/env bash
# lgwh as a user runs it: each subcommand as a process against the server at
# $LANGGRAPH_E2E_URL (run through with-server.sh), receivers on loopback.
# Argument: the lgwh binary.
set -euo pipefail
lgwh="$1"
export LANGGRAPH_URL="${LANGGRAPH_E2E_URL:?run through tests/e2e/with-server.sh}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf -- "$work"; }
trap cleanup EXIT
fail() { echo "lgwh_test: $*" >&2; exit 1; }
hello='{"messages":[{"role":"human","content":"Hello!"}]}'

# expect_status CODE CMD...: runs CMD, which must exit with CODE.
expect_status() {
  local want="$1" got=0
  shift
  "$@" || got=$?
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}

# start_listener NAME ARGS...: lgwh listen in the background; sets $url and $pid.
start_listener() {
  local name="$1"
  shift
  "$lgwh" listen "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do grep -q '^listening ' "$work/$name.err" && break; sleep 0.05; done
  url="$(sed -n 's/^listening //p' "$work/$name.err")"
  [ -n "$url" ] || fail "$name: no 'listening' line: $(cat "$work/$name.err")"
}

# wait_exit PID: waits (bounded) for a background lgwh to end; returns its status.
wait_exit() {
  for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  local status=0
  wait "$1" || status=$?
  return "$status"
}

run_id_of_first_line() { head -n1 "$1" | sed -n 's/.*"run_id":"\([^"]*\)".*/\1/p'; }

echo "== run --listen: stream, wait and create, on a new thread and stateless"
for mode in stream wait create; do
  for where in --new-thread --stateless; do
    out="$work/run-$mode$where"
    "$lgwh" run --assistant agent --input "$hello" --mode "$mode" "$where" --listen --timeout 30 \
      >"$out" 2>"$out.err" || fail "run --mode $mode $where --listen failed: $(cat "$out.err")"
    tail -n1 "$out" | grep -q '^{"webhook":{.*"status":"success"' || fail "$mode $where: last line is not the webhook: $(tail -n1 "$out")"
    case "$mode" in
    stream)
      head -n1 "$out" | grep -q '^{"event":"metadata","data":{' || fail "stream: first line is not the metadata part"
      grep -q '^{"event":"values",.*"echo: Hello!"' "$out" || fail "stream: no values part with the echo"
      run_id="$(run_id_of_first_line "$out")" ;;
    wait)
      [ "$(wc -l <"$out")" -eq 2 ] || fail "wait: expected the result and the webhook"
      head -n1 "$out" | grep -q '^{"messages":\[.*"echo: Hello!"' || fail "wait: first line is not the final values"
      run_id="$(tail -n1 "$out" | sed -n 's/.*"run_id":"\([^"]*\)".*/\1/p')" ;;
    create)
      head -n1 "$out" | grep -q '"status":"pending"' || fail "create: first line is not the pending run"
      run_id="$(run_id_of_first_line "$out")" ;;
    esac
    [ -n "$run_id" ] || fail "$mode $where: no run id"
    tail -n1 "$out" | grep -q "\"run_id\":\"$run_id\"" || fail "$mode $where: the webhook is for another run"
    if [ "$where" = --new-thread ]; then
      grep -q '^lgwh: created thread ' "$out.err" || fail "$mode: the new thread is not reported"
    fi
  done
done

echo "== run: every option reaches the request field of the same name"
thread="$(cat /proc/sys/kernel/random/uuid)"
"$lgwh" run --assistant agent --thread "$thread" --if-not-exists create --mode wait --listen \
  --input '{"messages":[{"role":"human","content":"hi"}]}' --metadata '{"origin":"lgwh_test"}' \
  --config '{"configurable":{"probe":42}}' --multitask-strategy enqueue --stream-mode values,updates \
  --durability sync --on-disconnect continue --interrupt-before reply >"$work/fields.out" 2>"$work/fields.err" \
  || fail "run with every field failed: $(cat "$work/fields.err")"
hook="$(tail -n1 "$work/fields.out")"
grep -q "\"thread_id\":\"$thread\"" <<<"$hook" || fail "--thread/--if-not-exists: the run is not on $thread"
grep -q '"origin":"lgwh_test"' <<<"$hook" || fail "--metadata did not reach the run"
grep -q '"probe":42' <<<"$hook" || fail "--config did not reach the run"
grep -q '"multitask_strategy":"enqueue"' <<<"$hook" || fail "--multitask-strategy did not reach the run"
grep -q '"stream_mode":\["values","updates"\]' <<<"$hook" || fail "--stream-mode did not reach the run"
grep -q '"interrupt_before":\["reply"\]' <<<"$hook" || fail "--interrupt-before did not reach the run"
head -n1 "$work/fields.out" | grep -q '"__interrupt__"' || fail "--interrupt-before reply: the run was not interrupted"

echo "== run: a failing run prints what it got, its webhook, and exits 2"
expect_status 2 "$lgwh" run --assistant agent --stateless --mode wait --listen \
  --input '{"messages":[{"role":"human","content":"x"}],"fail":"boom"}' >"$work/failed.out" 2>"$work/failed.err"
grep -q '^lgwh: the run failed: Error: boom$' "$work/failed.err" || fail "failed run: $(cat "$work/failed.err")"
tail -n1 "$work/failed.out" | grep -q '^{"webhook":{.*"status":"error"' || fail "failed run: no error webhook"
expect_status 2 "$lgwh" run --assistant agent --stateless --mode stream \
  --input '{"messages":[{"role":"human","content":"x"}],"fail":"boom"}' >"$work/failed-stream.out" 2>"$work/failed-stream.err"
grep -q '^{"event":"error"' "$work/failed-stream.out" || fail "failed stream: the error part is not printed"

echo "== listen --count 2 --format json: the payloads and the query parameters, never the secret"
start_listener json --count 2 --secret s3cr3t --format json
[[ "$url" == http://127.0.0.1:*/langgraph/webhook?token=s3cr3t ]] || fail "unexpected URL '$url'"
listen_pid=$pid
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "$url&tenant=acme" >/dev/null
"$lgwh" run --assistant agent --input "$hello" --mode create --stateless --webhook "$url" >/dev/null
wait_exit "$listen_pid" || fail "listen --count 2 exited with $?"
[ "$(wc -l <"$work/json.out")" -eq 2 ] || fail "expected 2 JSON lines, got: $(cat "$work/json.out")"
grep -c '^{"payload":{.*"status":"success".*},"query":{' "$work/json.out" | grep -qx 2 || fail "lines are not {payload, query}"
grep -q '"query":{"tenant":"acme"}}$' "$work/json.out" || fail "the query parameters are missing"
if grep -q s3cr3t "$work/json.out"; then fail "the secret was printed"; fi

echo "== listen refuses a call without the secret (401), and it is not counted"
start_listener guarded --count 1 --secret right --format json --timeout 20
guarded_pid=$pid
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "${url%%\?*}?token=wrong" >/dev/null
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "$url" >/dev/null
wait_exit "$guarded_pid" || fail "listen with a secret exited with $?"
[ "$(wc -l <"$work/guarded.out")" -eq 1 ] || fail "the call with the wrong secret was accepted"

echo "== listen --forward delivers each payload to a second listener"
start_listener target --count 1 --format json
target_pid=$pid
target_url="$url"
start_listener forwarder --count 1 --format json --forward "$target_url"
forwarder_pid=$pid
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "$url" >/dev/null
wait_exit "$forwarder_pid" || fail "the forwarding listener exited with $?"
wait_exit "$target_pid" || fail "the forward target exited with $?"
run_id="$(sed -n 's/.*"run_id":"\([^"]*\)".*/\1/p' "$work/forwarder.out" | head -n1)"
[ -n "$run_id" ] && grep -q "\"run_id\":\"$run_id\"" "$work/target.out" || fail "the forward target did not get run $run_id"
grep -q "^lgwh: forwarded run $run_id to $target_url: 200$" "$work/forwarder.err" || fail "forward not reported: $(cat "$work/forwarder.err")"

echo "== listen --format pretty: run, status, duration and final message; colour only when asked"
start_listener pretty --count 1 --format pretty --color always
pretty_pid=$pid
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "$url" >"$work/pretty-run.out"
wait_exit "$pretty_pid" || fail "pretty listener exited with $?"
grep -q $'\e\\[32msuccess' "$work/pretty.out" || fail "pretty: no green success"
grep -q 'in [0-9.]* \(ms\|s\)' "$work/pretty.out" || fail "pretty: no duration"
grep -q '^  message    echo: Hello!$' "$work/pretty.out" || fail "pretty: no final message: $(cat "$work/pretty.out")"
start_listener plain --count 1 --format pretty --color never
plain_pid=$pid
"$lgwh" run --assistant agent --input "$hello" --mode wait --webhook "$url" >/dev/null
wait_exit "$plain_pid" || fail "plain listener exited with $?"
grep -q '^run .*  success  in ' "$work/plain.out" || fail "pretty without colour: $(cat "$work/plain.out")"
if grep -q $'\e' "$work/plain.out"; then fail "--color never printed escape codes"; fi

echo "== listen stops cleanly on SIGINT and SIGTERM"
for sig in INT TERM; do
  start_listener "sig$sig" --format json
  kill "-$sig" "$pid"
  wait_exit "$pid" || fail "listen did not exit 0 on SIG$sig"
done

echo "== timeouts exit 3"
expect_status 3 "$lgwh" listen --count 1 --timeout 1 --format json 2>/dev/null
expect_status 3 "$lgwh" run --assistant agent --mode create --after-seconds 60 --listen --timeout 1 >/dev/null 2>&1

echo "== usage errors exit 1 with a usage message"
usage() { # ARGS...: must exit 1 and say what is wrong and where help is
  expect_status 1 "$lgwh" "$@" 2>"$work/usage.err" >/dev/null
  grep -q 'Run with --help for more information' "$work/usage.err" || fail "'$*': no usage hint: $(cat "$work/usage.err")"
}
usage
usage bogus
usage run --input "$hello"                                  # --assistant missing
usage run --assistant agent --bogus
usage run --assistant agent --input '{not json'
usage run --assistant agent --mode sometimes
usage run --assistant agent --stream-mode nope
usage run --assistant agent --stateless --thread t1
usage run --assistant agent --listen --webhook http://x/y
usage run --assistant agent --stateless --if-not-exists create
usage run --assistant agent --on-completion keep            # only stateless runs take it
usage run --assistant agent --mode create --on-disconnect cancel
usage run --assistant agent --url not-a-url
usage listen --format yaml
usage listen --forward ftp://x/y
usage cron create --assistant agent                         # --schedule missing
usage cron create --assistant agent --schedule '* * * * *' --thread t1 --on-run-completed keep
usage run --assistant agent --timeout 5                      # --timeout only with --listen
expect_status 1 "$lgwh" lisen 2>"$work/typo.err"
grep -q "^lgwh: unknown subcommand 'lisen' (did you mean 'listen'?)$" "$work/typo.err" || fail "typo: $(cat "$work/typo.err")"
for cmd in listen run thread cron check-url info; do
  "$lgwh" "$cmd" --help | grep -q '^Usage: lgwh' || fail "$cmd --help"
done

echo "== an unreachable server exits 2 with a one-line reason"
expect_status 2 "$lgwh" info --url http://127.0.0.1:1 --retries 0 2>"$work/down.err"
[ "$(wc -l <"$work/down.err")" -eq 1 ] || fail "more than one line: $(cat "$work/down.err")"
grep -q '^lgwh: GET /info: connection: ' "$work/down.err" || fail "no reason: $(cat "$work/down.err")"
expect_status 2 "$lgwh" run --url http://127.0.0.1:1 --retries 0 --assistant agent 2>"$work/down2.err"
grep -q '^lgwh: POST /threads: connection: ' "$work/down2.err" || fail "run: no reason: $(cat "$work/down2.err")"

echo "== check-url explains what a cloud deployment refuses"
expect_status 2 "$lgwh" check-url http://127.0.0.1:8080/hook >"$work/check.out"
grep -q '^refused: .*loopback' "$work/check.out" || fail "loopback not explained: $(cat "$work/check.out")"
expect_status 0 "$lgwh" check-url http://127.0.0.1:8080/hook --allow-loopback >/dev/null
expect_status 0 "$lgwh" check-url https://hooks.example.com/lg --require-https --allow-domain '*.example.com' >/dev/null
expect_status 2 "$lgwh" check-url http://other.org/lg --require-https --allow-domain '*.example.com' --allow-port 443 >"$work/check3.out"
[ "$(grep -c '^refused: ' "$work/check3.out")" -eq 3 ] || fail "expected three problems: $(cat "$work/check3.out")"

echo "== info prints the server's /info; cron says this server has none"
"$lgwh" info | grep -q '^{.*"flags":{.*"crons":false.*"version":"' || fail "info"
expect_status 2 "$lgwh" cron list 2>"$work/cron.err"
grep -q 'this server has no crons' "$work/cron.err" || fail "cron list: $(cat "$work/cron.err")"
expect_status 2 "$lgwh" cron create --assistant agent --schedule '*/5 * * * *' --webhook http://x/y 2>"$work/cron2.err"
grep -q '^lgwh: POST /runs/crons: not_found: this server has no crons .*nothing was sent$' "$work/cron2.err" ||
  fail "cron create: $(cat "$work/cron2.err")"

echo "== human in the loop: run --listen says what the run waits for; thread state; run --resume"
review='{"messages":[{"role":"human","content":"ship?"}],"review":"Approve?"}'
"$lgwh" run --assistant agent --mode create --input "$review" --listen >"$work/hitl.out" 2>"$work/hitl.err" ||
  fail "run with an interrupt: $(cat "$work/hitl.err")"
grep -q '^lgwh: the thread waits for input: interrupt [0-9a-f]\{32\}: {"question":"Approve?"}$' "$work/hitl.err" ||
  fail "no interrupt shown: $(cat "$work/hitl.err")"
thread="$(sed -n 's/^lgwh: created thread //p' "$work/hitl.err")"
grep -q "^lgwh: answer with: lgwh run --thread $thread --assistant agent --resume '<JSON>'$" "$work/hitl.err" ||
  fail "no resume hint: $(cat "$work/hitl.err")"
"$lgwh" thread state "$thread" >"$work/state.out" 2>"$work/state.err"
grep -q '"next":\["human_review"\]' "$work/state.out" || fail "thread state: $(cat "$work/state.out")"
grep -q '^lgwh: the thread waits for input: interrupt [0-9a-f]\{32\}: {"question":"Approve?"}$' "$work/state.err" || fail "state: $(cat "$work/state.err")"
"$lgwh" thread get "$thread" | grep -q '"status":"interrupted"' || fail "thread get: not interrupted"
"$lgwh" run --thread "$thread" --assistant agent --resume '"shipped"' --mode wait --listen >"$work/resume.out" 2>"$work/resume.err" ||
  fail "resume: $(cat "$work/resume.err")"
head -n1 "$work/resume.out" | grep -q '"content":"review: shipped"' || fail "the answer did not reach the graph: $(cat "$work/resume.out")"
tail -n1 "$work/resume.out" | grep -q '^{"webhook":{.*"status":"success"' || fail "no second webhook"
grep -q 'waits for input' "$work/resume.err" && fail "still waiting after the resume"
"$lgwh" thread state "$thread" 2>&1 >/dev/null | grep -q '^lgwh: the thread waits for nothing$' || fail "state after resume"
[ "$("$lgwh" thread runs "$thread" | wc -l)" -eq 2 ] || fail "thread runs: expected 2"
[ "$("$lgwh" thread history "$thread" --limit 2 | wc -l)" -eq 2 ] || fail "thread history --limit 2"
usage run --assistant agent --resume 1                      # --resume needs --thread
usage run --assistant agent --thread t --resume 1 --command '{}'
usage thread state                                          # the id is missing
expect_status 2 "$lgwh" thread get 01a2207e-0000-7000-8000-000000000000 2>"$work/nothread.err"
grep -q '^lgwh: GET /threads/01a2207e-0000-7000-8000-000000000000: 404 not_found' "$work/nothread.err" ||
  fail "unknown thread: $(cat "$work/nothread.err")"

echo "== a refused run leaves no thread behind; --listen says what it waits for"
expect_status 2 "$lgwh" run --assistant no-such-graph --mode create 2>"$work/orphan.err"
grep -q '^lgwh: deleted thread .* again: the run was refused$' "$work/orphan.err" || fail "orphan: $(cat "$work/orphan.err")"
orphan="$(sed -n 's/^lgwh: created thread //p' "$work/orphan.err")"
expect_status 2 "$lgwh" thread get "$orphan" 2>"$work/orphan2.err"
grep -q '404 not_found' "$work/orphan2.err" || fail "the thread is still there: $(cat "$work/orphan2.err")"
"$lgwh" run --assistant agent --mode create --listen --input "$hello" >/dev/null 2>"$work/wait.err"
grep -q '^lgwh: waiting up to 60 s for the webhook of run ' "$work/wait.err" || fail "no waiting note: $(cat "$work/wait.err")"

echo "lgwh_test: all passed"
