#!/usr/bin/env bash
# Builds release binaries the way they ship on a gateway (default product: usp-bridge):
#   --static-swift-stdlib        Swift runtime and Foundation linked in, nothing to install
#                                beside the binary but Debian's own libraries;
#   -Xswiftc -Osize              optimised for size (smaller code touched = fewer resident pages);
#   -Xlinker -no-pie             a position-dependent executable: no start-up relocations
#                                that dirty megabytes of pages in every process;
#   -Xlinker --no-export-dynamic no dynamic symbol table for the whole program.
# Output: .build-release/release/<product>. Usage: scripts/build-release.sh [product ...]
set -euo pipefail
cd "$(dirname "$0")/.."
products=("$@")
[ ${#products[@]} -eq 0 ] && products=(usp-bridge)
flags=(-c release --static-swift-stdlib --scratch-path .build-release
       -Xswiftc -Osize -Xlinker -no-pie -Xlinker --no-export-dynamic)
for p in "${products[@]}"; do
  # (The static Foundation archive makes the linker warn about mktemp; that line is dropped.)
  swift build "${flags[@]}" --product "$p" 2>&1 | { grep -v "the use of .mktemp. is dangerous" || true; }
  status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || { echo "build of $p failed ($status)" >&2; exit "$status"; }
done
