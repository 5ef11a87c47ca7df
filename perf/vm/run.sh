#!/usr/bin/env bash
# The VM against native C, Lua 5.4 and LuaJIT with its JIT off (./build.sh vm-bench): loop sum, recursive fib(30), a
# sieve to 10,000,000 and Keccak-f[1600] permutations, the same algorithm in each (perf/vm/programs, perf/vm/lua).
# Every runner prints "checksum median_ns"; the checksums must agree. Writes perf/results/VmComparison.{md,tsv}.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-5}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
started="$(date -u '+%Y-%m-%d %H:%M')"; load_start="$(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"
dotnet build perf/VmCompare -c Release -nologo -v:q -clp:ErrorsOnly >/dev/null
vm=(dotnet perf/VmCompare/bin/Release/net10.0/NexusFast.VmCompare.dll)
declare -A size=([loopsum]=10000000 [fib]=30 [sieve]=10000000 [keccak]=20000)
declare -A what=([loopsum]="loop sum of (i*i) mod 8, i < 10,000,000" [fib]="recursive fib(30)" [sieve]="sieve of Eratosthenes to 10,000,000" [keccak]="20,000 Keccak-f[1600] permutations")
rows=(); tsv=()
for p in loopsum fib sieve keccak; do
  n="${size[$p]}"
  clang-14 -target bpf -O2 -Wall -Werror -c "perf/vm/programs/$p.c" -o "$work/$p.o"
  gcc -O2 -o "$work/$p-native" "perf/vm/programs/$p.c" perf/vm/programs/native_main.c
  lua_file="perf/vm/lua/$p.lua"; jit_file="$lua_file"; [ "$p" = keccak ] && jit_file=perf/vm/lua/keccak-luajit.lua
  read -r vm_sum vm_ns vm_gas < <("${vm[@]}" "$work/$p.o" "$n" "$RUNS")
  read -r c_sum c_ns < <("$work/$p-native" "$n" "$RUNS")
  read -r lua_sum lua_ns < <(lua5.4 "$lua_file" "$n" "$RUNS")
  read -r jit_sum jit_ns < <(luajit -joff "$jit_file" "$n" "$RUNS")
  for s in "$c_sum" "$lua_sum" "$jit_sum"; do
    [ "$s" = "$vm_sum" ] || { echo "$p: checksums differ (VM $vm_sum, native $c_sum, Lua $lua_sum, LuaJIT $jit_sum)" >&2; exit 1; }
  done
  ms() { awk -v x="$1" 'BEGIN {printf "%.1f ms", x / 1e6}'; }
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}'; }
  mips=$(awk -v g="$vm_gas" -v t="$vm_ns" 'BEGIN {printf "%.0f", g / (t / 1e3)}')
  faster_than_lua=$(awk -v v="$vm_ns" -v l="$lua_ns" 'BEGIN {print (v < l) ? "yes" : "**no**"}')
  within_15=$(awk -v v="$vm_ns" -v c="$c_ns" 'BEGIN {print (v <= 15 * c) ? "yes" : "**no**"}')
  rows+=("| ${what[$p]} | $(ms "$vm_ns") ($mips M instructions/s) | $(ms "$c_ns") | $(ms "$lua_ns") | $(ms "$jit_ns") | $(ratio "$vm_ns" "$c_ns") / $within_15 | $(ratio "$lua_ns" "$vm_ns") / $faster_than_lua |")
  tsv+=("Vm_$p	n=$n	$vm_ns	-1	1" "Native_$p	n=$n	$c_ns	-1	1" "Lua54_$p	n=$n	$lua_ns	-1	1" "LuaJitOff_$p	n=$n	$jit_ns	-1	1")
  echo "$p: VM $(ms "$vm_ns"), native $(ms "$c_ns"), Lua 5.4 $(ms "$lua_ns"), LuaJIT -joff $(ms "$jit_ns")"
done
out=perf/results/VmComparison
{
  echo "## VmComparison"
  echo
  echo "Run started $started UTC, finished $(date -u '+%H:%M'): \`./build.sh vm-bench\` (perf/vm/run.sh), median of $RUNS runs each"
  echo
  echo "- Load average (1, 5, 15 min) at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg | sed 's/ /, /g')"
  echo "- VM: perf/VmCompare runs clang-14 -target bpf -O2 objects in the NexusFast interpreter (JIT-free), timing the run only; instructions/s is gas used (one per instruction, four per division) over that time."
  echo "- Native: gcc $(gcc -dumpversion) -O2, same C source (perf/vm/programs). Lua 5.4 ($(lua5.4 -v 2>&1 | awk '{print $2}')) and LuaJIT with -joff ($(luajit -v 2>&1 | awk '{print $2}')): perf/vm/lua, timed with os.clock. All four return the same checksum."
  echo
  echo "| Workload | VM | Native C | Lua 5.4 | LuaJIT -joff | VM / native (target <= 15x) | Lua 5.4 / VM (target: VM faster) |"
  echo "|---|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$out.md"
{ printf 'method\tparameters\tmedian_ns\tallocated_bytes\toperations_per_invoke\n'; printf '%s\n' "${tsv[@]}"; } > "$out.tsv"
cat "$out.md"
