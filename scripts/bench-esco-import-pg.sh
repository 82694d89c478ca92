#!/usr/bin/env bash
# ESCO import benchmark on PostgreSQL: `rolemap import esco` of the v1.1.1 zips into a freshly
# migrated, empty database (reading, checking, storing through COPY in one transaction, and
# building and keeping the search index, so that the release is searchable when the command
# ends) against psql `\copy` of the same 17 CSVs into plain text tables
# (../shared/bench/a_pg_import.sh), alternating, ROUNDS rounds in one run, on the same server.
# Prints each round, the medians, the ratio and rolemap's peak memory.
# Usage: ROLEMAP_BENCH_PG=postgres://postgres@127.0.0.1:PORT/postgres scripts/bench-esco-import-pg.sh
#   (ROLEMAP_ESCO_DIR: the folder of the two zips; ROUNDS; BIN: a rolemap binary to measure). The server's database named by the URL is
#   where the baseline's tables go; rolemap's goes into a database `rolemap_bench` made and
#   dropped on that server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
zips=${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}
url=${ROLEMAP_BENCH_PG:?set ROLEMAP_BENCH_PG to a PostgreSQL server URL (a throwaway cluster)}
baseline=../shared/bench/a_pg_import.sh
[ -f "$baseline" ] || { echo "the baseline $baseline is missing (it lives in the shared bench folder beside a_sqlite_import.sh)" >&2; exit 1; }
PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
[ -n "${BIN:-}" ] || cargo build --release --locked -p rolemap --bin rolemap >/dev/null
bin=${BIN:-target/release/rolemap}
work=$(mktemp -d)
bench_url="${url%/*}/rolemap_bench"
cleanup() { "$PSQL" -q "$url" -c "DROP DATABASE IF EXISTS rolemap_bench" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/esco/en" "$work/esco/rel"
unzip -q -o "$zips"/*classification*.zip -d "$work/esco/en"
unzip -q -o "$zips"/*relations*.zip -d "$work/esco/rel"
export ESCO_DIR="$work/esco" PG_URL="$url"
fresh() {
  "$PSQL" -q "$url" -c "DROP DATABASE IF EXISTS rolemap_bench" >/dev/null
  "$PSQL" -q "$url" -c "CREATE DATABASE rolemap_bench" >/dev/null
  "$bin" --db "$bench_url" db migrate >/dev/null
}
# A failed run stops the benchmark with its error rather than timing it.
seconds() {
  local s e; s=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/err" || { echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  e=$(date +%s.%N); python3 -c "print(f'{$e - $s:.3f}')"
}
rows=()
for round in $(seq 1 "$ROUNDS"); do
  raw=$(seconds bash "$baseline")
  fresh
  ours=$(seconds "$bin" --db "$bench_url" import esco "$zips")
  echo "round $round: psql \\copy ${raw}s  rolemap import esco ${ours}s"
  rows+=("$raw $ours")
done
fresh
peak=$(/usr/bin/time -f %M "$bin" --db "$bench_url" import esco "$zips" 2>&1 >/dev/null | tail -1)
printf '%s\n' "${rows[@]}" | python3 -c "
import statistics, sys
raw, ours = zip(*(map(float, line.split()) for line in sys.stdin))
r, o = statistics.median(raw), statistics.median(ours)
print(f'median of {len(raw)}: psql \\\\copy {r:.2f} s, rolemap {o:.2f} s, ratio {o / r:.2f}; rolemap peak memory ${peak} KiB')
"
