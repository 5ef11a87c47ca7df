#!/usr/bin/env bash
# Milliseconds from starting a node command to its first answered eth_blockNumber (polled with curl, no pause
# between polls), then stops it with SIGTERM. Usage: first-rpc.sh PORT COMMAND...
set -euo pipefail
port="$1"; shift
body='{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}'
start=$(date +%s%N)
"$@" >/dev/null 2>&1 &
pid=$!
until curl -sf -m 1 -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/" 2>/dev/null | grep -q '"result"'; do
  if ! kill -0 "$pid" 2>/dev/null; then echo "node exited before answering" >&2; exit 1; fi
done
end=$(date +%s%N)
kill -TERM "$pid"; wait "$pid" || true
echo $(( (end - start) / 1000000 ))
