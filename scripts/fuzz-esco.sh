#!/usr/bin/env bash
# Fuzzes the ESCO CSV reader (fuzz/fuzz_targets/esco_csv.rs) for SECONDS_TO_RUN seconds (default 60):
# any set of files must give data or diagnostics, never a panic. A crash is written under
# fuzz/artifacts/esco_csv/ and the script fails. New interesting inputs go to fuzz/corpus/esco_csv
# (not committed); fuzz/seeds/esco_csv holds the committed seeds.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them.
# Usage: SECONDS_TO_RUN=600 scripts/fuzz-esco.sh
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_TO_RUN=${SECONDS_TO_RUN:-60}
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
mkdir -p corpus/esco_csv
RUSTC_BOOTSTRAP=1 cargo fuzz run esco_csv corpus/esco_csv seeds/esco_csv -- \
  -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1
