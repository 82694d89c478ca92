#!/usr/bin/env bash
# Fuzzes the CASE 1.0 package reader (fuzz/fuzz_targets/case_json.rs) for SECONDS_TO_RUN seconds (default 60):
# any bytes must give a package or diagnostics, never a panic, and read(write(x)) == x. A crash is written under
# fuzz/artifacts/case_json/ and the script fails. New interesting inputs go to fuzz/corpus/case_json
# (not committed); fuzz/seeds/case_json holds the committed seeds.
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain provide them.
# Usage: SECONDS_TO_RUN=600 scripts/fuzz-case.sh
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_TO_RUN=${SECONDS_TO_RUN:-60}
cargo fuzz --version >/dev/null 2>&1 || cargo install --locked cargo-fuzz
mkdir -p corpus/case_json
RUSTC_BOOTSTRAP=1 cargo fuzz run case_json corpus/case_json seeds/case_json -- \
  -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1
