#!/usr/bin/env bash
# Server memory with all of ESCO loaded: the resident set (VmRSS, and VmHWM, the peak) of
# `rolemap serve --demo` at each step: started; after `rolemap import esco` by the command line
# beside it, once the server has caught up (search index, neighbour lists); after the first
# requests that fill its caches (searches, typeahead, a role's page, JSON and similar roles, an
# ESCO skill, the ESCO pages, a person's gap); and again after a second version of ESCO (the
# same release imported as another version) and the same requests.
# Usage: scripts/bench-memory.sh            (SQLite, a fresh file)
#        ROLEMAP_BENCH_PG=postgres://... scripts/bench-memory.sh   (PostgreSQL; its database
#        `rolemap_memory` is made and dropped on that server)
#   ROLEMAP_ESCO_DIR: the folder of the two zips; BIN: a rolemap binary to measure instead.
set -euo pipefail
cd "$(dirname "$0")/.."
zips=${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}
PORT=${PORT:-18461}
[ -n "${BIN:-}" ] || cargo build --release --locked -p rolemap --bin rolemap >/dev/null
bin=${BIN:-target/release/rolemap}
work=$(mktemp -d)
if [ -n "${ROLEMAP_BENCH_PG:-}" ]; then
  PSQL=$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
  "$PSQL" -q "$ROLEMAP_BENCH_PG" -c "DROP DATABASE IF EXISTS rolemap_memory" >/dev/null
  "$PSQL" -q "$ROLEMAP_BENCH_PG" -c "CREATE DATABASE rolemap_memory" >/dev/null
  db="${ROLEMAP_BENCH_PG%/*}/rolemap_memory"
  backend=PostgreSQL
else
  db="$work/memory.db"
  backend=SQLite
fi
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "${PSQL:-}" ] && "$PSQL" -q "$ROLEMAP_BENCH_PG" -c "DROP DATABASE IF EXISTS rolemap_memory" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
$bin --db "$db" serve --demo --addr "127.0.0.1:$PORT" >"$work/serve.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
csrf=$(curl -sf -c "$work/jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -b "$work/jar" -c "$work/jar" --data "username=grace&password=rolemap-demo&next=/&csrf=$csrf" "$base/login"
get() { curl -sf -b "$work/jar" -o /dev/null "$base$1" || echo "  (GET $1 failed)" >&2; }
rss() { awk -v step="$1" '/VmRSS|VmHWM/ {v[$1]=$2} END {printf "%-44s VmRSS %4d MB  VmHWM %4d MB\n", step, v["VmRSS:"]/1024, v["VmHWM:"]/1024}' "/proc/$server/status"; }
# Waits until the server has built what it keeps warm: a similar-roles request computes or
# reads the neighbour lists, a search the index; then a few seconds for its warm-up round.
caught_up() {
  get "/api/v1/roles/$1/similar"
  get "/api/v1/search?q=manage+staff"
  sleep 5
}
requests() {
  get "/api/v1/search?q=software+developer"
  get "/api/v1/search?q=python"
  get "/search?q=nurse"
  get "/api/v1/typeahead?q=data"
  get "/roles/$1"
  get "/api/v1/roles/$1"
  get "/roles/$1/similar"
  get "/api/v1/skills/$2"
  get "/esco"
  get "/esco/occupations"
  get "/esco/skills"
  get "/api/v1/people/aisha-rahman/gap"
  get "/api/v1/people/aisha-rahman/gap?target=$1"
  get "/people/aisha-rahman"
  get "/api/v1/routes?from=$1&to=$3"
}
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print($1)"; }
echo "rolemap serve on $backend, ESCO from $zips"
rss "started (demo)"
$bin --db "$db" import esco "$zips" >/dev/null 2>&1
# The latest version's roles have the highest ids.
role=$(curl -sf -b "$work/jar" "$base/api/v1/roles?framework=esco" | json 'sorted(r["id"] for r in v)[-1]')
other=$(curl -sf -b "$work/jar" "$base/api/v1/roles?framework=esco" | json 'sorted(r["id"] for r in v)[-2]')
skill=$(curl -sf -b "$work/jar" "$base/api/v1/skills?framework=esco&q=python" | json 'sorted(r["id"] for r in v)[-1]')
caught_up "$role"
rss "after importing ESCO"
requests "$role" "$skill" "$other"
rss "after the first requests"
requests "$role" "$skill" "$other"
rss "after the same requests again"
$bin --db "$db" import esco --version 1.1.1-second "$zips" >/dev/null 2>&1
# The latest version's roles have the highest ids.
role=$(curl -sf -b "$work/jar" "$base/api/v1/roles?framework=esco" | json 'sorted(r["id"] for r in v)[-1]')
other=$(curl -sf -b "$work/jar" "$base/api/v1/roles?framework=esco" | json 'sorted(r["id"] for r in v)[-2]')
skill=$(curl -sf -b "$work/jar" "$base/api/v1/skills?framework=esco&q=python" | json 'sorted(r["id"] for r in v)[-1]')
caught_up "$role"
rss "after importing a second version"
requests "$role" "$skill" "$other"
rss "after the requests on the second version"
