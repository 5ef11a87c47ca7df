#!/usr/bin/env bash
# The node's RPC benchmarks (./build.sh load-rpc): start-up to first RPC (AOT vs JIT), wrk on eth_blockNumber beside a
# bare Kestrel endpoint, sustained eth_sendRawTransaction of unique pre-signed transfers, RSS idle and under load.
# Writes perf/results/NodeRpcBenchmarks.md and .tsv; build.sh then reassembles perf/REPORT.md.
# Expects artifacts/nexusfast (AOT) and the JIT build of src/Engine.Native; builds perf/BareKestrel and perf/RpcLoad.
set -euo pipefail
cd "$(dirname "$0")/../.."
AOT=artifacts/nexusfast
JIT_DLL=src/Engine.Native/bin/Release/net10.0/nexusfast.dll
RUNS="${RUNS:-20}"
WRK_ARGS=(-t2 -c32 -d10s)
SENDERS="${SENDERS:-150}" PER_SENDER="${PER_SENDER:-2000}" SEND_SECONDS="${SEND_SECONDS:-15}"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
started="$(date -u '+%Y-%m-%d %H:%M')"; load_start="$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
wait_rpc() { until curl -sf -m 1 -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' "http://127.0.0.1:$1/" >/dev/null 2>&1; do sleep 0.05; done; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# Samples a process's RSS every 200 ms while a command runs; prints the peak in KiB on fd 3.
peak_rss_during() { local pid="$1"; shift; local peak=0 r; "$@" & local cmd=$!
  while kill -0 "$cmd" 2>/dev/null; do r=$(rss_kib "$pid"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.2; done
  wait "$cmd"; echo "$peak" >&3; }

echo "building perf/BareKestrel and perf/RpcLoad (Release)"
dotnet build perf/BareKestrel -c Release -nologo -v:q -clp:ErrorsOnly >/dev/null
dotnet build perf/RpcLoad -c Release -nologo -v:q -clp:ErrorsOnly >/dev/null

echo "1. start-up to first served RPC, $RUNS runs each"
aot_ms=(); jit_ms=()
for _ in $(seq "$RUNS"); do aot_ms+=("$(perf/rpc/first-rpc.sh 8604 "$AOT" devnet --port 8604)"); done
for _ in $(seq "$RUNS"); do jit_ms+=("$(perf/rpc/first-rpc.sh 8605 dotnet "$JIT_DLL" devnet --port 8605)"); done
aot_med=$(printf '%s\n' "${aot_ms[@]}" | median); jit_med=$(printf '%s\n' "${jit_ms[@]}" | median)
aot_min=$(printf '%s\n' "${aot_ms[@]}" | sort -n | head -1); jit_min=$(printf '%s\n' "${jit_ms[@]}" | sort -n | head -1)
echo "AOT median $aot_med ms (min $aot_min), JIT median $jit_med ms (min $jit_min)"

echo "2. wrk ${WRK_ARGS[*]} on eth_blockNumber: bare Kestrel, then the AOT devnet"
dotnet perf/BareKestrel/bin/Release/net10.0/BareKestrel.dll 8601 >/dev/null 2>&1 & pids+=($!); bare_pid=$!
wait_rpc 8601
wrk "${WRK_ARGS[@]}" -s perf/rpc/block-number.lua http://127.0.0.1:8601/ > "$work/bare.txt"
kill -TERM "$bare_pid"; wait "$bare_pid" || true
"$AOT" devnet --port 8602 >/dev/null 2>&1 & pids+=($!); dev_pid=$!
wait_rpc 8602; sleep 2
rss_idle=$(rss_kib "$dev_pid")
peak_rss_during "$dev_pid" wrk "${WRK_ARGS[@]}" -s perf/rpc/block-number.lua http://127.0.0.1:8602/ > "$work/node.txt" 3> "$work/rss-bn"
kill -TERM "$dev_pid"; wait "$dev_pid" || true
rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
bare_rps=$(rps "$work/bare.txt"); node_rps=$(rps "$work/node.txt")
cat "$work/bare.txt" "$work/node.txt"

echo "3. eth_sendRawTransaction: $SENDERS senders x $PER_SENDER transfers, node --block-time 1000"
dotnet perf/RpcLoad/bin/Release/net10.0/NexusFast.RpcLoad.dll "$work/tx" "$SENDERS" "$PER_SENDER" 2 31337
total_tx=$((SENDERS * PER_SENDER))
cat > "$work/node.json" <<JSON
{
  "chainId": 31337,
  "blockTimeMs": 1000,
  "rpc": { "host": "127.0.0.1", "port": 8603 },
  "mempool": { "transactionsMax": $((total_tx + 1000)), "perSenderMax": $((PER_SENDER + 64)) },
  "genesis": { "alloc": $(cat "$work/tx/genesis-alloc.json") }
}
JSON
"$AOT" node --config "$work/node.json" >"$work/node.log" 2>&1 & pids+=($!); node_pid=$!
wait_rpc 8603; sleep 2
rss_node_idle=$(rss_kib "$node_pid")
peak_rss_during "$node_pid" wrk -t2 -c32 -d"${SEND_SECONDS}s" -s perf/rpc/send-raw.lua http://127.0.0.1:8603/ -- "$work/tx" > "$work/send.txt" 3> "$work/rss-send"
cat "$work/send.txt"
sleep 3
block_hex=$(curl -s -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}' http://127.0.0.1:8603/ | sed -E 's/.*"result":"([^"]*)".*/\1/')
kill -TERM "$node_pid"; wait "$node_pid" || true
accepted=$(sed -nE 's/^SENDRAW accepted=([0-9]+).*/\1/p' "$work/send.txt")
rejected=$(sed -nE 's/^SENDRAW .*rejected=([0-9]+).*/\1/p' "$work/send.txt")
duration_us=$(sed -nE 's/^SENDRAW .*duration_us=([0-9]+).*/\1/p' "$work/send.txt")
last_error=$(sed -nE 's/^SENDRAW last_error=(.*)/\1/p' "$work/send.txt" | head -c 300)
tx_per_s=$(awk -v a="$accepted" -v d="$duration_us" 'BEGIN {printf "%.0f", a / (d / 1e6)}')
rss_bn=$(cat "$work/rss-bn"); rss_send=$(cat "$work/rss-send")
load_end="$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"

mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
met() { if awk "BEGIN {exit !($1)}"; then echo yes; else echo "**no**"; fi; }
ratio=$(awk -v a="$node_rps" -v b="$bare_rps" 'BEGIN {printf "%.1f", 100 * a / b}')
out=perf/results/NodeRpcBenchmarks
{
  echo "## NodeRpcBenchmarks"
  echo
  echo "Run started $started UTC, finished $(date -u '+%H:%M'): \`./build.sh load-rpc\` (perf/rpc/run.sh)"
  echo
  echo "- Machine: $(nproc) logical cores, $(. /etc/os-release; echo "$PRETTY_NAME"); node binary: artifacts/nexusfast (Native AOT, $(strings -a "$AOT" 2>/dev/null | grep -m1 -oE '^[0-9]+\.[0-9]+\.[0-9]+\+[0-9a-f]{8}' || echo "build.sh publish")); JIT: \`dotnet $JIT_DLL\` (net10.0)"
  echo "- Load average (1, 5, 15 min) at the start of the run: $load_start; at the end: $load_end"
  echo "- wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), ${WRK_ARGS[*]}; wrk, the node and the endpoint share the 2 cores."
  echo
  echo "| Measurement | Result | Target | Met |"
  echo "|---|---:|---|---|"
  echo "| Start-up to first answered eth_blockNumber, AOT devnet (median of $RUNS, min $aot_min ms) | $aot_med ms | <= 150 ms | $(met "$aot_med <= 150") |"
  echo "| Start-up to first answered eth_blockNumber, JIT devnet (median of $RUNS, min $jit_min ms) | $jit_med ms | - | - |"
  echo "| eth_blockNumber, AOT devnet, wrk ${WRK_ARGS[*]} | $node_rps req/s | >= 50% of bare | $(met "$ratio >= 50") ($ratio%) |"
  echo "| Bare Kestrel constant JSON-RPC response (perf/BareKestrel, JIT Release), same wrk | $bare_rps req/s | - | - |"
  echo "| eth_sendRawTransaction accepted into the mempool, AOT node, --block-time 1000, wrk -t2 -c32 -d${SEND_SECONDS}s | $tx_per_s tx/s ($accepted accepted, $rejected errors, of $total_tx pre-signed) | >= 10,000 tx/s | $(met "$tx_per_s >= 10000") |"
  echo "| RSS, AOT devnet idle | $(mib "$rss_idle") | - | - |"
  echo "| RSS, AOT devnet under eth_blockNumber load (peak) | $(mib "$rss_bn") | - | - |"
  echo "| RSS, AOT node idle ($SENDERS funded accounts) / under eth_sendRawTransaction load (peak) | $(mib "$rss_node_idle") / $(mib "$rss_send") | - | - |"
  echo
  echo "Start-up: perf/rpc/first-rpc.sh starts \`nexusfast devnet\` and polls eth_blockNumber with curl until it answers (time includes process start, genesis of the 10 dev accounts and Kestrel start). Runs, ms: AOT ${aot_ms[*]}; JIT ${jit_ms[*]}."
  echo
  echo "Transactions: perf/RpcLoad pre-signs $total_tx EIP-1559 transfers from $SENDERS accounts (secrets 1..$SENDERS) with nonces 0..$((PER_SENDER - 1)); each wrk thread sends its own senders' transfers (perf/rpc/send-raw.lua), round-robin by sender, each once. The devnet's mempool limits (8,192 / 64 per sender) are fixed, so this runs \`nexusfast node --config\` with the same engine: genesis.alloc funds the senders, mempool.transactionsMax $((total_tx + 1000)), mempool.perSenderMax $((PER_SENDER + 64)), blockTimeMs 1000 (blocks of at most 30M gas, 1,428 transfers, are built each second beside the load; the chain reached block $((block_hex)) ). Loopback clients are not rate-limited. Every accepted request paid JSON parsing, transaction decoding, sender recovery (secp256k1) and mempool admission.${last_error:+ Last error body: \`$last_error\`}"
} > "$out.md"
{
  printf 'method\tparameters\tmedian_ns\tallocated_bytes\toperations_per_invoke\n'
  printf 'StartupAot\tfirst eth_blockNumber\t%s\t-1\t1\n' "$(awk -v m="$aot_med" 'BEGIN {printf "%.0f", m * 1e6}')"
  printf 'StartupJit\tfirst eth_blockNumber\t%s\t-1\t1\n' "$(awk -v m="$jit_med" 'BEGIN {printf "%.0f", m * 1e6}')"
  # Throughput rows: median_ns is the time per request (1e9 / requests per second).
  printf 'BlockNumberNode\t%s\t%s\t-1\t1\n' "${WRK_ARGS[*]}" "$(awk -v r="$node_rps" 'BEGIN {printf "%.1f", 1e9 / r}')"
  printf 'BlockNumberBareKestrel\t%s\t%s\t-1\t1\n' "${WRK_ARGS[*]}" "$(awk -v r="$bare_rps" 'BEGIN {printf "%.1f", 1e9 / r}')"
  printf 'SendRawTransactionAccepted\t%s accepted, %s errors\t%s\t-1\t1\n' "$accepted" "$rejected" "$(awk -v r="$tx_per_s" 'BEGIN {printf "%.1f", 1e9 / r}')"
} > "$out.tsv"
cat "$out.md"
