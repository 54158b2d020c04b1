#!/usr/bin/env bash
# The example programs as a user runs them, against the server at $LANGGRAPH_E2E_URL
# (run through with-server.sh). Argument: the folder with the built examples.
set -euo pipefail
bin="$1"
url="${LANGGRAPH_E2E_URL:?run through tests/e2e/with-server.sh}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf -- "$work"; }
trap cleanup EXIT
fail() { echo "examples_test: $*" >&2; exit 1; }

echo "== seed_flow streams the run and receives its webhook"
"$bin/seed_flow" --url "$url" --timeout 30 >"$work/seed.out" 2>"$work/seed.err" || fail "seed_flow failed: $(cat "$work/seed.err")"
head -n1 "$work/seed.out" | grep -q '^{"event":"metadata","data":{' || fail "first line is not the metadata part"
tail -n1 "$work/seed.out" | grep -q '^{"webhook":{.*"status":"success"' || fail "last line is not the webhook"
grep -q '"echo: Hello!"' "$work/seed.out" || fail "no echo in the stream"
run_id="$(head -n1 "$work/seed.out" | sed 's/.*"run_id":"\([^"]*\)".*/\1/')"
tail -n1 "$work/seed.out" | grep -q "\"run_id\":\"$run_id\"" || fail "the webhook is not for the streamed run"

echo "== seed_flow: usage and API errors"
set +e
"$bin/seed_flow" --bogus 1 2>/dev/null; [ $? -eq 1 ] || fail "unknown option should exit 1 (a usage error, as in lgwh)"
"$bin/seed_flow" --url 127.0.0.1:2024 2>"$work/noscheme.err"; [ $? -eq 1 ] || fail "a URL without http:// should be a usage error"
grep -q 'did you mean http://127.0.0.1:2024' "$work/noscheme.err" || fail "no hint for the URL: $(cat "$work/noscheme.err")"
"$bin/quickstart" 127.0.0.1:2024 2>"$work/qs.err"; [ $? -eq 2 ] || fail "quickstart with a bad URL should exit 2, not abort"
grep -q 'invalid_argument: invalid URL "127.0.0.1:2024": .*did you mean' "$work/qs.err" || fail "quickstart: $(cat "$work/qs.err")"
"$bin/seed_flow" --url http://127.0.0.1:1 --timeout 1 2>"$work/down.err"; [ $? -eq 2 ] || fail "unreachable server should exit 2"
set -e
grep -q "connection" "$work/down.err" || fail "unreachable server: no reason given: $(cat "$work/down.err")"

echo "== webhook_receiver --count 2 receives two runs' webhooks, then exits 0"
"$bin/webhook_receiver" --secret s3cr3t --count 2 >"$work/recv.out" 2>"$work/recv.err" &
recv=$!
pids+=("$recv")
for _ in $(seq 100); do grep -q '^listening ' "$work/recv.err" && break; sleep 0.05; done
hook_url="$(sed -n 's/^listening //p' "$work/recv.err")"
[[ "$hook_url" == http://127.0.0.1:*/langgraph/webhook?token=s3cr3t ]] || fail "unexpected URL '$hook_url'"
"$bin/quickstart" "$url" "$hook_url" >/dev/null
"$bin/quickstart" "$url" "$hook_url" >/dev/null
for _ in $(seq 200); do kill -0 "$recv" 2>/dev/null || break; sleep 0.05; done
wait "$recv" || fail "webhook_receiver exited with $?"
[ "$(wc -l <"$work/recv.out")" -eq 2 ] || fail "expected 2 JSON lines, got: $(cat "$work/recv.out")"
grep -c '"status":"success"' "$work/recv.out" | grep -q 2 || fail "expected two successful runs"

echo "== webhook_receiver stops cleanly on SIGTERM"
"$bin/webhook_receiver" --quiet 2>"$work/recv2.err" &
recv2=$!
pids+=("$recv2")
for _ in $(seq 100); do grep -q '^listening ' "$work/recv2.err" && break; sleep 0.05; done
kill -TERM "$recv2"
wait "$recv2" || fail "webhook_receiver did not exit 0 on SIGTERM"

echo "== the short examples"
"$bin/wait_with_webhook" "$url" | grep -q '^webhook: run .* success' || fail "wait_with_webhook"
[ "$("$bin/background_run" "$url" | grep -c '^finished .*: success$')" -eq 3 ] || fail "background_run"
"$bin/cron_with_webhook" "$url" | grep -q 'this server has no crons' || fail "cron_with_webhook"
echo "== human_in_the_loop: webhook, the interrupt, resume, second webhook"
"$bin/human_in_the_loop" "$url" approved >"$work/hitl.out" 2>"$work/hitl.err" || fail "human_in_the_loop failed: $(cat "$work/hitl.err")"
grep -q '^webhook: run .* success$' "$work/hitl.out" || fail "human_in_the_loop: no first webhook: $(cat "$work/hitl.out")"
grep -q '^interrupt [0-9a-f]\{32\}: {"question":"Approve shipping release 1.2?"}$' "$work/hitl.out" || fail "human_in_the_loop: no interrupt: $(cat "$work/hitl.out")"
grep -q '^resumed with "approved"' "$work/hitl.out" || fail "human_in_the_loop: not resumed"
grep -q '^  review: approved$' "$work/hitl.out" || fail "human_in_the_loop: the answer did not reach the graph"
tail -n1 "$work/hitl.out" | grep -q '^final answer: echo: Ship release 1.2?$' || fail "human_in_the_loop: no final answer: $(cat "$work/hitl.out")"
[ "$(grep -c '^webhook: run' "$work/hitl.out")" -eq 2 ] || fail "human_in_the_loop: expected two webhooks"

echo "examples_test: all passed"
