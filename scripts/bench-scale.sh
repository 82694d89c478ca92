#!/usr/bin/env bash
# Scale benchmark, both backends side by side: `rolemap demo --generate` makes PEOPLE people
# with PER_PERSON assessments each (default 100,000 and 50) in a SQLite file and in PostgreSQL
# (PG_URL: a cluster of its own with fsync and synchronous commit on, for a real server's
# figures), then `rolemap serve` on each is measured with wrk, medians of ROUNDS rounds of
# DURATION at CONNECTIONS connections:
#   team   GET /teams/KEY of the manager nearest 2,000 people below   (target p99 < 200 ms)
#   gap    GET /api/v1/people/KEY/gap of a front-line person            (target p99 < 10 ms)
#   person GET /api/v1/people/KEY, finding one person among all        (target p99 < 20 ms)
# then WRITERS clients add assessments for WRITE_FOR (64, 30s) through the API as the head's
# manager account, and the writes acknowledged are counted back in the database.
# Usage: scripts/bench-scale.sh   (needs wrk, sqlite3, psql; BACKENDS="sqlite postgres";
# PROFILE=debug measures the debug build, BIN=path a binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-100000}
PER_PERSON=${PER_PERSON:-50}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-4}
WRITERS=${WRITERS:-64}
WRITE_FOR=${WRITE_FOR:-30s}
BACKENDS=${BACKENDS:-sqlite postgres}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:55461/postgres}
export PEOPLE
for tool in wrk sqlite3 psql; do
  command -v $tool >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
if [ -n "${BIN:-}" ]; then
  bin=$BIN
elif [ "${PROFILE:-release}" = debug ]; then
  cargo build --locked -p rolemap --bin rolemap >/dev/null
  bin=target/debug/rolemap
else
  cargo build --release --locked -p rolemap --bin rolemap >/dev/null
  bin=target/release/rolemap
fi
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

measure() { # url -> "rps p50_ms p99_ms", failing on any answer but 2xx
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -H "$auth" "$1" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def pct(p):
    value, unit = re.search(r"\s" + p + r"%\s+([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("non-2xx responses: " + errors.group(1))
print(rps, pct("50"), pct("99"))'
}
median() { # name -> one line of medians over the rounds read from stdin
  python3 -c "
import sys
rows = [list(map(float, l.split())) for l in sys.stdin]
med = lambda i: sorted(r[i] for r in rows)[len(rows) // 2]
print(f'$backend $1: {med(0):.1f} req/s, p50 {med(1):.2f} ms, p99 {med(2):.2f} ms (median of {len(rows)} rounds)')"
}
count() { # -> assessments stored
  if [ "$backend" = sqlite ]; then sqlite3 "$work/scale.db" "SELECT count(*) FROM assessments"
  else psql -qAt "$PG_URL" -c "SELECT count(*) FROM assessments"; fi
}

port=18461
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    db="$work/scale.db"
  else
    db="$PG_URL"
    # A fresh schema: the generator refuses a database that already has its organisation.
    psql -qAt "$PG_URL" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
  fi
  echo "== $backend: generating $PEOPLE people, $PER_PERSON assessments each (seed $SEED)"
  $bin --db "$db" demo --generate --people "$PEOPLE" --assessments-per-person "$PER_PERSON" \
    --seed "$SEED" | tee "$work/generated.txt"
  team=$(grep -o 'Team nearest 2,000: org-[0-9]*' "$work/generated.txt" | grep -o 'org-[0-9]*')
  [ "$backend" = sqlite ] && echo "$backend file: $(du -m "$db" | cut -f1) MB"
  [ "$backend" = postgres ] && echo "$backend size: $(psql -qAt "$PG_URL" \
    -c "SELECT pg_database_size(current_database()) / 1048576") MB"
  echo "long-enough-password-1" | $bin --db "$db" user add bench --role admin --password-stdin >/dev/null
  echo "long-enough-password-2" | $bin --db "$db" user add boss --role manager \
    --person org-000000 --password-stdin >/dev/null
  token() { $bin --db "$db" user token create "$1" --name bench --format json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
  admin=$(token bench)
  boss=$(token boss)
  port=$((port + 1))
  $bin --db "$db" serve --addr 127.0.0.1:$port >"$work/serve-$backend.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  auth="Authorization: Bearer $admin"
  base=http://127.0.0.1:$port
  person=org-$(printf %06d $((PEOPLE - 1)))
  for url in "$base/teams/$team" "$base/api/v1/people/$person/gap" "$base/api/v1/people/$person"; do
    curl -sf -H "$auth" -o /dev/null -w "first answer $url: %{time_total} s, %{size_download} bytes\n" "$url"
  done
  for _ in $(seq 1 "$ROUNDS"); do measure "$base/teams/$team"; done | median "team page ($team)"
  for _ in $(seq 1 "$ROUNDS"); do measure "$base/api/v1/people/$person/gap"; done | median "gap ($person)"
  for _ in $(seq 1 "$ROUNDS"); do measure "$base/api/v1/people/$person"; done | median "person ($person)"

  before=$(count)
  result=$(wrk -t2 -c"$WRITERS" -d"$WRITE_FOR" --timeout 10s -H "Authorization: Bearer $boss" \
    -s scripts/bench-scale-write.lua "$base" | grep '^acknowledged')
  after=$(count)
  acknowledged=$(echo "$result" | awk '{print $2}')
  echo "$backend writes, $WRITERS clients for $WRITE_FOR: $result"
  echo "$backend writes counted back: $((after - before)) stored, $acknowledged acknowledged"
  locked=$(grep -c 'database is locked' "$work/serve-$backend.log" || true)
  echo "$backend \"database is locked\" in the server log: $locked"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  [ "$backend" = sqlite ] && rm -f "$work"/scale.db*
  [ "$backend" = postgres ] && psql -qAt "$PG_URL" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
done
