#!/usr/bin/env bash
# Export benchmark: all of ESCO v1.1.1 (imported into a fresh database first) exported as a CASE
# package (`rolemap export case esco`) and as rolemap's spreadsheet (`rolemap export xlsx esco`),
# ROUNDS rounds each; prints each round, the medians against the targets (CASE under 3 s, XLSX
# under 10 s) and each export's peak memory against 300 MB.
# Usage: scripts/bench-export.sh   (ROLEMAP_ESCO_DIR: the folder of the two zips)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
zips=${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}
cargo build --release --locked -p rolemap --bin rolemap >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=target/release/rolemap
$bin --db "$work/e.db" import esco "$zips" >/dev/null
for format in case xlsx; do
  times=()
  for round in $(seq 1 "$ROUNDS"); do
    # %e: wall seconds, %M: peak resident KiB.
    line=$(/usr/bin/time -f '%e %M' $bin --db "$work/e.db" export "$format" esco --out "$work/esco.$format" 2>&1 >/dev/null | tail -1)
    echo "round $round: export $format $line (s KiB)"
    times+=("$line")
  done
  size=$(stat -c %s "$work/esco.$format")
  printf '%s\n' "${times[@]}" | FORMAT=$format SIZE=$size python3 -c "
import os, statistics, sys
rows = [tuple(map(float, line.split())) for line in sys.stdin]
secs = statistics.median(r[0] for r in rows)
peak = max(r[1] for r in rows) / 1024
target = 3 if os.environ['FORMAT'] == 'case' else 10
print(f\"export {os.environ['FORMAT']}: median {secs:.2f} s (target < {target} s), peak {peak:.0f} MB (target < 300), file {int(os.environ['SIZE']) / 1e6:.1f} MB\")
"
done
