#!/usr/bin/env bash
# ESCO import benchmark: `rolemap import esco` of the v1.1.1 zips into a fresh database (reading,
# checking, storing, and building and keeping the search index, so that the release is searchable
# when the command ends) against the raw `sqlite3 .import` of the same 17 CSVs
# (../shared/bench/a_sqlite_import.sh all), alternating, ROUNDS rounds in one run. Prints each
# round, the medians, the ratio and rolemap's peak memory.
# Usage: scripts/bench-esco-import.sh   (ROLEMAP_ESCO_DIR: the folder of the two zips)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
zips=${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release --locked -p rolemap --bin rolemap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/esco/en" "$work/esco/rel"
unzip -q -o "$zips"/*classification*.zip -d "$work/esco/en"
unzip -q -o "$zips"/*relations*.zip -d "$work/esco/rel"
export ESCO_DIR="$work/esco" PERF_DATA="$work/data"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.3f}')"; }
rows=()
for round in $(seq 1 "$ROUNDS"); do
  raw=$(seconds bash ../shared/bench/a_sqlite_import.sh all)
  rm -f "$work/r.db"*
  ours=$(seconds target/release/rolemap --db "$work/r.db" import esco --skip-dangling "$zips")
  echo "round $round: sqlite3 .import ${raw}s  rolemap import esco ${ours}s"
  rows+=("$raw $ours")
done
rm -f "$work/r.db"*
peak=$(/usr/bin/time -f %M target/release/rolemap --db "$work/r.db" import esco --skip-dangling "$zips" 2>&1 >/dev/null | tail -1)
printf '%s\n' "${rows[@]}" | python3 -c "
import statistics, sys
raw, ours = zip(*(map(float, line.split()) for line in sys.stdin))
r, o = statistics.median(raw), statistics.median(ours)
print(f'median of {len(raw)}: sqlite3 .import {r:.2f} s, rolemap {o:.2f} s, ratio {o / r:.2f}; rolemap peak memory ${peak} KiB')
"
