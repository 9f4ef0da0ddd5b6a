#!/usr/bin/env bash
# Builds and runs a libFuzzer target for one of the frame decoders.
#
#   scripts/fuzz.sh znp [libFuzzer options…]    MT (Z-Stack ZNP) decoder, typed callbacks, link
#   scripts/fuzz.sh ash [libFuzzer options…]    ASH (EZSP UART) decoder
#
# Builds in .build-fuzz (never touches .build) with USPBRIDGE_FUZZ=1, which is what makes
# Package.swift declare the fuzz executables and instrument the decoder modules. Runs 1,000,000
# inputs by default, starting from the committed seeds in Fuzz/corpus/<name>; new inputs libFuzzer
# finds go to .build-fuzz/corpus/<name> so the committed seeds stay as they are. Extra arguments are
# passed to libFuzzer (e.g. -runs=10000000 or -max_total_time=600).
set -euo pipefail
cd "$(dirname "$0")/.."

name="${1:-}"
case "$name" in
    znp) product=ZNPFrameFuzz ;;
    ash) product=ASHFrameFuzz ;;
    *) echo "usage: $0 znp|ash [libFuzzer options…]" >&2; exit 64 ;;
esac
shift

export USPBRIDGE_FUZZ=1
swift build -c release --scratch-path .build-fuzz --product "$product"
binary="$(swift build -c release --scratch-path .build-fuzz --show-bin-path)/$product"

work=".build-fuzz/corpus/$name"
mkdir -p "$work"
has_runs=0
for arg in "$@"; do [[ "$arg" == -runs=* || "$arg" == -max_total_time=* ]] && has_runs=1; done
runs=()
[[ $has_runs == 0 ]] && runs=(-runs=1000000)

exec "$binary" "${runs[@]}" -max_len=600 -print_final_stats=1 "$@" "$work" "Fuzz/corpus/$name"
