#!/usr/bin/env bash
# Compiles every contracts/*.c into a relocatable eBPF object, the form the node deploys (src/Engine/Vm/Elf loads it
# directly; clang 14's lld would mangle lddw, so nothing is linked).
#   contracts/build-contracts.sh [OUTPUT_DIR]      default: artifacts/contracts
# An object is rebuilt only when it is older than its source or nexus.h. CLANG overrides the compiler.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../artifacts/contracts}"
clang="${CLANG:-clang-14}"
command -v "$clang" >/dev/null 2>&1 || { echo "$clang not found (./build.sh setup installs clang-14)" >&2; exit 1; }
mkdir -p "$out"

shopt -s nullglob
sources=("$here"/*.c)
built=0
for source in "${sources[@]}"; do
  object="$out/$(basename "${source%.c}").o"
  if [ -f "$object" ] && [ "$object" -nt "$source" ] && [ "$object" -nt "$here/nexus.h" ]; then continue; fi
  # -Werror: a warning in a contract is a bug on a chain; -g is left out so the object carries no debug sections.
  "$clang" -target bpf -O2 -Wall -Wextra -Werror -I "$here" -c "$source" -o "$object.tmp"
  mv "$object.tmp" "$object"
  built=$((built + 1))
done
echo "contracts: ${#sources[@]} sources, $built compiled into $out"
