#!/usr/bin/env bash
# O*NET import benchmark: `rolemap import onet` of the 29.2 text release into a fresh database
# (reading, checking, storing in one transaction) against the raw `sqlite3 .import` of the same
# text files into plain tables (scripts/onet_sqlite_import.sh), alternating, ROUNDS rounds in one
# run. Prints each round, the medians, the ratio and rolemap's peak memory.
# Usage: scripts/bench-onet-import.sh   (ROLEMAP_ONET_DIR: the release's folder)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-7}
release=${ROLEMAP_ONET_DIR:-../shared/data/interop/onet-29.2}
command -v sqlite3 >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null; }
cargo build --release --locked -p rolemap --bin rolemap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ONET_DIR="$release" OUT="$work/raw.db"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.3f}')"; }
rows=()
for round in $(seq 1 "$ROUNDS"); do
  raw=$(seconds bash scripts/onet_sqlite_import.sh)
  rm -f "$work/r.db"*
  ours=$(seconds target/release/rolemap --db "$work/r.db" import onet "$release")
  echo "round $round: sqlite3 .import ${raw}s  rolemap import onet ${ours}s"
  rows+=("$raw $ours")
done
rm -f "$work/r.db"*
peak=$(/usr/bin/time -f %M target/release/rolemap --db "$work/r.db" import onet "$release" 2>&1 >/dev/null | tail -1)
printf '%s\n' "${rows[@]}" | python3 -c "
import statistics, sys
raw, ours = zip(*(map(float, line.split()) for line in sys.stdin))
r, o = statistics.median(raw), statistics.median(ours)
print(f'median of {len(raw)}: sqlite3 .import {r:.2f} s, rolemap {o:.2f} s, ratio {o / r:.2f}; rolemap peak memory ${peak} KiB')
"
