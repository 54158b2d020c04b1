#!/usr/bin/env bash
# Run CMD ARGS... with a fresh local LangGraph server; its URL is in $LANGGRAPH_E2E_URL.
# The server is stopped and its temporary folder removed however CMD ends.
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
[ $# -ge 1 ] || { echo "usage: with-server.sh CMD [ARGS...]" >&2; exit 2; }

DIR="$(mktemp -d "${TMPDIR:-/tmp}/langgraph-e2e.XXXXXX")"
cleanup() { "$E2E/server.sh" stop "$DIR" || true; rm -rf -- "$DIR"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

LANGGRAPH_PORT=0 "$E2E/server.sh" start "$DIR" >/dev/null
LANGGRAPH_E2E_URL="$(cat "$DIR/url")"
export LANGGRAPH_E2E_URL

status=0
"$@" || status=$?
exit "$status"
