#!/usr/bin/env bash
# The consensus benchmark (`./build.sh load-bft`): the TPS driver against the single-validator devnet and against BFT
# testnets of 1 and 4 AOT validator processes, each once as fast as it commits and once at a fixed rate, then
# perf/results/ConsensusLoad.md (the runs' own reports go to perf/results/consensus). Needs artifacts/nexusfast (./build.sh publish).
# Environment: TRANSACTIONS (max runs, default 100000), RATE (tx/s of the rate runs, default 2000), RATE_SECONDS (20),
# BLOCK_TIME (ms, default 250).
set -euo pipefail
cd "$(dirname "$0")/../.."
transactions=${TRANSACTIONS:-100000}
rate=${RATE:-2000}
rate_transactions=$(( rate * ${RATE_SECONDS:-20} ))
block_time=${BLOCK_TIME:-250}
load() { dotnet run --project perf/Load -c Release --no-build -- --block-time "$block_time" "$@"; }
for setup in devnet:0 bft1:1 bft4:4; do
  name=${setup%%:*} validators=${setup##*:}
  echo "== $name: as fast as it commits"
  load --validators "$validators" --out perf/results/consensus --name "ConsensusLoad-$name-max" --transactions "$transactions" --batch 500 --connections 4
  echo "== $name: $rate tx/s"
  load --validators "$validators" --out perf/results/consensus --name "ConsensusLoad-$name-rate" --transactions "$rate_transactions" --accounts 1000 --rate "$rate" --batch 20 --connections 4
done
load --consensus-summary --out perf/results
