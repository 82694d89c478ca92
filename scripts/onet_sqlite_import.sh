#!/usr/bin/env bash
# Baseline for the O*NET import: plain `sqlite3 .import` of the text files `rolemap import onet`
# reads into plain tables of a new database file, one table a file, columns named by the header.
# Default sqlite3 settings (rollback journal, synchronous=FULL); one transaction per .import.
# ASCII mode with tab and LF separators, since O*NET quotes nothing (a `"` is a character); the
# CR of each CRLF stays in the last column, which costs sqlite3 nothing.
# Usage: ONET_DIR=../shared/data/interop/onet-29.2 OUT=/tmp/onet.db scripts/onet_sqlite_import.sh
set -euo pipefail
ONET_DIR=${ONET_DIR:-../shared/data/interop/onet-29.2}
OUT=${OUT:-${PERF_DATA:-/tmp/perf-data}/onet_import.db}
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT" "$OUT-journal"
cmds=$(mktemp)
trap 'rm -f "$cmds"' EXIT
{
  echo ".mode ascii"
  echo '.separator "\t" "\n"'
  for name in "Occupation Data" "Task Statements" "Skills" "Alternate Titles" \
      "Sample of Reported Titles" "Related Occupations" "Job Zones" \
      "Content Model Reference" "Scales Reference"; do
    table=$(echo "$name" | tr ' A-Z' '_a-z')
    echo ".import \"$ONET_DIR/$name.txt\" $table"
  done
} > "$cmds"
sqlite3 "$OUT" < "$cmds" >/dev/null
