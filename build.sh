#!/usr/bin/env bash
# NexusFast build entry point. Thin wrapper over dotnet commands; build.ps1 carries the same verbs.
#   ./build.sh setup    install what is missing (native libraries), restore packages
#   ./build.sh build    build the solution (Release)
#   ./build.sh test     setup + run every test project, then tests/e2e against the AOT binary (published when stale);
#                       ends with "N passed, N failed, N skipped" over both
#   ./build.sh bench    run the BenchmarkDotNet suites and regenerate perf/REPORT.md (args go to BenchmarkDotNet)
#   ./build.sh publish  build the Native AOT `nexusfast` binary into artifacts/
#   ./build.sh devnet   publish if the binary is missing or older than the sources, then run `nexusfast devnet` (args pass through)
#   ./build.sh load     the TPS driver (perf/Load): pre-signed transfers through a running AOT node, committed TPS and
#                       submit-to-inclusion latency into perf/results/LoadTest.md with SVG charts (--help lists options)
#   ./build.sh load-bft the consensus benchmark (perf/consensus/run.sh): the TPS driver against the devnet's single node
#                       and BFT testnets of 1 and 4 AOT validators into perf/results/ConsensusLoad.md, then perf/REPORT.md
#   ./build.sh load-rpc the node's RPC benchmarks (perf/rpc/run.sh: start-up, wrk, RSS; installs wrk/hyperfine on demand)
#                       into perf/results/NodeRpcBenchmarks.{md,tsv}, then regenerates perf/REPORT.md
#   ./build.sh vm-bench the VM against gcc -O2, Lua 5.4 and LuaJIT -joff on the same algorithms (perf/vm/run.sh; installs
#                       lua5.4 and luajit on demand) into perf/results/VmComparison.{md,tsv}, then regenerates perf/REPORT.md
#   ./build.sh sim      the deterministic consensus simulation (tests/Engine.Simulation): --seeds N runs seeds 0..N-1
#                       (default 1000, --first S moves the start), --seed S replays one seed and prints its scenario
set -euo pipefail
cd "$(dirname "$0")"
CONFIG="${CONFIG:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Debian packages the node needs at run time or for its tests: "package:probe-file".
APT_PACKAGES=(
  "libsecp256k1-1:/usr/lib/x86_64-linux-gnu/libsecp256k1.so.1"
  "clang-14:/usr/bin/clang-14"
  "llvm-14:/usr/bin/llvm-objdump-14"
)

need_sudo() { if [ "$(id -u)" -ne 0 ]; then echo sudo; fi; }

setup() {
  local missing=() apt_updated=0
  for entry in "${APT_PACKAGES[@]}"; do
    local pkg="${entry%%:*}"
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$apt_updated" -eq 0 ]; then $(need_sudo) apt-get update -qq >/dev/null; apt_updated=1; fi
    for pkg in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive $(need_sudo) apt-get install -y -qq "$pkg" >/dev/null 2>&1 || { echo "apt-get install $pkg failed" >&2; exit 1; }
      echo "installed $pkg ($(dpkg-query -W -f='${Version}' "$pkg"))"
    done
  fi
  setup_node
  dotnet restore NexusFast.sln --verbosity quiet >/dev/null || { echo "dotnet restore failed" >&2; dotnet restore NexusFast.sln; exit 1; }
}

# Node.js and the npm packages of each folder below, pinned by its package-lock.json: tests/js (ethers, for the
# differential tests) and tests/e2e (ethers and viem, driving the binary). Idempotent: npm ci runs only when
# node_modules does not match the lock file (a stamp inside node_modules records the lock file's hash), and a line is
# printed only when something was installed.
NPM_FOLDERS=(tests/js tests/e2e)

setup_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    local pkgs=()
    command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
    command -v npm >/dev/null 2>&1 || pkgs+=(npm)
    $(need_sudo) apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $(need_sudo) apt-get install -y -qq "${pkgs[@]}" >/dev/null 2>&1 || { echo "apt-get install ${pkgs[*]} failed" >&2; exit 1; }
    echo "installed ${pkgs[*]} (node $(node --version), npm $(npm --version 2>/dev/null))"
  fi
  for folder in "${NPM_FOLDERS[@]}"; do
    local stamp="$folder/node_modules/.nexusfast-lock-sha256" want
    want="$(sha256sum "$folder/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then continue; fi
    (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci in $folder failed" >&2; (cd "$folder" && npm ci --no-audit --no-fund); exit 1; }
    echo "$want" > "$stamp"
    echo "installed npm packages in $folder ($(cd "$folder" && node -p 'Object.entries(require("./package.json").dependencies).map(([n, v]) => n + " " + v).join(", ")'))"
  done
}

build() {
  dotnet build NexusFast.sln -c "$CONFIG" --no-restore -nologo -clp:ErrorsOnly -v:q
  # The sample contracts (C against contracts/nexus.h) as eBPF objects, rebuilt when their sources change.
  contracts/build-contracts.sh artifacts/contracts
}

test_all() {
  setup
  build
  local log; log="$(mktemp)"
  local status=0
  dotnet test NexusFast.sln -c "$CONFIG" --no-build -nologo "$@" 2>&1 | tee "$log" || status=$?
  # Sum the per-project summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12") into one line. sed, not
  # grep: a run with no summary (a --filter that matches nothing) must give 0, not fail the pipeline under pipefail.
  local passed failed skipped
  passed=$(sum_field Passed "$log")
  failed=$(sum_field Failed "$log")
  skipped=$(sum_field Skipped "$log")
  rm -f "$log"
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

  # tests/e2e: the published binary driven by ethers and viem (node's test runner). Its summary comes from a TAP copy
  # of the report ("# pass N", "# fail N", "# cancelled N", "# skipped N", "# todo N"); the console gets the spec view.
  local tap e2e_status=0; tap="$(mktemp)"
  # A subshell, so that a failed publish (which exits) still ends with the summary line. set -e does not apply inside
  # an if condition, which is why publish checks each step itself.
  if ! (ensure_binary); then
    echo "publishing $BINARY failed: tests/e2e not run" >&2
    e2e_status=1
  else
    (cd tests/e2e && node --test --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$tap") || e2e_status=$?
  fi
  local e2e_passed e2e_failed e2e_skipped
  e2e_passed=$(tap_count pass "$tap")
  e2e_failed=$(( $(tap_count fail "$tap") + $(tap_count cancelled "$tap") ))
  e2e_skipped=$(( $(tap_count skipped "$tap") + $(tap_count todo "$tap") ))
  rm -f "$tap"
  if [ "$e2e_status" -ne 0 ] && [ "$e2e_failed" -eq 0 ]; then e2e_failed=1; fi

  echo "$((passed + e2e_passed)) passed, $((failed + e2e_failed)) failed, $((skipped + e2e_skipped)) skipped"
  if [ "$status" -ne 0 ]; then return "$status"; fi
  return "$e2e_status"
}

# The sum of "NAME: N" over the lines of a dotnet test log.
sum_field() {
  sed -nE "s/.*$1: +([0-9]+).*/\1/p" "$2" | awk '{s+=$1} END {print s+0}'
}

# The last "# NAME N" line of a TAP report (node --test writes one summary for all files at the end), 0 if none.
tap_count() {
  grep -E "^# $1 [0-9]+$" "$2" | tail -n 1 | grep -oE '[0-9]+$' || echo 0
}

# Native AOT publish. .NET 10's NativeAOT runtime pack is missing from some package sources (this machine's among
# them); the .NET 9 ILCompiler package carries its own framework, so the whole graph is then built for net9.0.
publish() {
  setup
  local common=(-c Release -r linux-x64 -p:PublishAot=true -p:DebugType=None -o artifacts -nologo -v:q)
  # Debian has gcc by default; clang is used when present (the ILCompiler default).
  if ! command -v clang >/dev/null 2>&1; then common+=(-p:CppCompilerAndLinker=gcc); fi
  local log; log="$(mktemp)"
  if dotnet restore src/Engine.Native -r linux-x64 -p:PublishAot=true >"$log" 2>&1; then
    dotnet publish src/Engine.Native "${common[@]}" || { rm -f "$log"; echo "dotnet publish failed" >&2; exit 1; }
    echo "published artifacts/nexusfast (Native AOT, net10.0)"
  elif grep -q "Microsoft.NETCore.App.Runtime.NativeAOT" "$log"; then
    echo "net10.0 NativeAOT runtime pack unavailable from the package source; publishing with the .NET 9 ILCompiler (net9.0)"
    dotnet publish src/Engine.Native "${common[@]}" -p:NexusAotFramework=net9.0 || { rm -f "$log"; echo "dotnet publish failed" >&2; exit 1; }
    echo "published artifacts/nexusfast (Native AOT, net9.0 fallback)"
  else
    cat "$log" >&2; rm -f "$log"; exit 1
  fi
  rm -f "$log"
  # Restore the default (net10.0, JIT) assets so later builds and tests do not see the AOT restore.
  dotnet restore NexusFast.sln --verbosity quiet >/dev/null || { echo "dotnet restore failed" >&2; exit 1; }
}

BINARY=artifacts/nexusfast

# Publishes the binary when it is missing or older than a source file. bin/ and obj/ under src/ are build outputs
# (every build and restore rewrites them), so they do not count as sources.
ensure_binary() {
  if [ ! -x "$BINARY" ] || [ -n "$(find src Directory.Build.props Directory.Packages.props \( -name bin -o -name obj \) -prune \
      -o -type f -newer "$BINARY" -print -quit)" ]; then
    publish || exit 1
    # An incremental publish may keep the old file's time when nothing it links changed; it is current either way.
    touch "$BINARY"
  fi
}

devnet() {
  ensure_binary
  exec "$BINARY" devnet "$@"
}

# Load tools only this verb needs, so that setup (and CI) stays lean. Idempotent: one line per package installed.
LOAD_PACKAGES=(wrk hyperfine)
VM_BENCH_PACKAGES=(lua5.4 luajit)

# Installs the named Debian packages whose command is missing; one line per package installed.
install_tools() {
  local apt_updated=0
  for pkg in "$@"; do
    if command -v "$pkg" >/dev/null 2>&1; then continue; fi
    if [ "$apt_updated" -eq 0 ]; then $(need_sudo) apt-get update -qq >/dev/null; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive $(need_sudo) apt-get install -y -qq "$pkg" >/dev/null 2>&1 || { echo "apt-get install $pkg failed" >&2; exit 1; }
    echo "installed $pkg ($(dpkg-query -W -f='${Version}' "$pkg"))"
  done
}

load_rpc() {
  setup
  install_tools "${LOAD_PACKAGES[@]}"
  ensure_binary
  dotnet build src/Engine.Native -c Release --no-restore -nologo -v:q -clp:ErrorsOnly >/dev/null
  perf/rpc/run.sh "$@"
  dotnet run --project perf/Benchmarks -c Release -- --write-section NodeRpcBenchmarks
}

load() {
  setup
  ensure_binary
  dotnet build perf/Load -c Release --no-restore -nologo -v:q -clp:ErrorsOnly >/dev/null
  local status=0
  dotnet perf/Load/bin/Release/net10.0/NexusFast.Load.dll "$@" || status=$?
  # A run whose accepted transactions did not all commit still wrote its section: the report shows it.
  if [ -f perf/results/LoadTest.md ]; then dotnet run --project perf/Benchmarks -c Release -- --write-section LoadTest; fi
  return "$status"
}

load_bft() {
  setup
  ensure_binary
  dotnet build perf/Load -c Release --no-restore -nologo -v:q -clp:ErrorsOnly >/dev/null
  perf/consensus/run.sh "$@"
  dotnet run --project perf/Benchmarks -c Release -- --write-section ConsensusLoad
}

vm_bench() {
  setup
  install_tools "${VM_BENCH_PACKAGES[@]}"
  perf/vm/run.sh "$@"
  dotnet run --project perf/Benchmarks -c Release -- --write-section VmComparison
}

bench() {
  setup
  dotnet run --project perf/Benchmarks -c Release -- "$@"
}

# The test reads its seeds from the environment (SimulationSettings.cs); empty variables mean "not given".
sim() {
  local seeds="" seed="" first=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --seeds) seeds="${2:?--seeds needs a number}"; shift 2 ;;
      --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
      --first) first="${2:?--first needs a number}"; shift 2 ;;
      *) echo "sim: unknown argument $1 (use --seeds N, --first S or --seed S)" >&2; exit 2 ;;
    esac
  done
  dotnet build tests/Engine.Simulation -c "$CONFIG" -nologo -v:q -clp:ErrorsOnly
  NEXUSFAST_SIM_SEEDS="$seeds" NEXUSFAST_SIM_SEED="$seed" NEXUSFAST_SIM_FIRST_SEED="$first" \
    dotnet test tests/Engine.Simulation -c "$CONFIG" --no-build -nologo \
    --filter "FullyQualifiedName~SimulationTests.Every_seed" --logger "console;verbosity=detailed"
}

verb="${1:-}"; shift || true
case "$verb" in
  setup) setup ;;
  build) setup; build ;;
  test) test_all "$@" ;;
  bench) bench "$@" ;;
  publish) publish ;;
  devnet) devnet "$@" ;;
  load) load "$@" ;;
  load-rpc) load_rpc "$@" ;;
  load-bft) load_bft "$@" ;;
  sim) sim "$@" ;;
  vm-bench) vm_bench "$@" ;;
  *) echo "usage: ./build.sh setup|build|test|bench|publish|devnet|load|load-bft|load-rpc|vm-bench|sim" >&2; exit 2 ;;
esac
