#!/usr/bin/env bash
# check_symbols.sh OBJECT [NM]: the object of a unit built with
# LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION refers to the default client and receiver but compiles
# none of their out-of-line code: the retry loop (basic_client::perform), the request path
# (basic_client::send<...>) and the receiver's request handling (basic_webhook_server::handle)
# come from the implementation unit.
set -euo pipefail
obj="$1"
nm="${2:-nm}"
symbols="$("$nm" -C "$obj")"
defined="$(grep -E '^[0-9a-f]+ [TtWw] ' <<<"$symbols" || true)"
client='langgraph::webhooks::basic_client<langgraph::webhooks::httplib_client_transport>::'
server='langgraph::webhooks::basic_webhook_server<langgraph::webhooks::httplib_server_transport>::'
status=0
if ! grep -qF " U $client" <<<"$symbols"; then
  echo "FAIL: $obj does not refer to the separately compiled client" >&2
  status=1
fi
for fn in "${client}perform(" "${client}send<" "${server}handle("; do
  if grep -qF "$fn" <<<"$defined"; then
    echo "FAIL: $obj defines ${fn%(} itself (extern template declarations not honoured)" >&2
    status=1
  else
    echo "ok  : ${fn%(} comes from the implementation unit"
  fi
done
exit "$status"
