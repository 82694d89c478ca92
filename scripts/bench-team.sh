#!/usr/bin/env bash
# Team page benchmark: the page of a manager with 2,000 people below them (leads of 49 each),
# every one rated on five skills by themselves and their manager, half with a self-rating
# waiting for review, an eighth of those reviewed, a goal each and an open review cycle, made by
# the hidden `rolemap bench-team`. Prints the p50 and p99 latency and requests/s of
# GET /teams/bench-head (signed in as the demo administrator, with an API token) at 1 and at
# CONNECTIONS connections, the medians over ROUNDS rounds. Target: p99 < 200 ms.
# Usage: scripts/bench-team.sh   (needs wrk; PEOPLE, ROUNDS, DURATION, CONNECTIONS; PROFILE=debug
# measures the debug build instead of building a release one)
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-2000}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-4}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
if [ "${PROFILE:-release}" = debug ]; then
  cargo build --locked -p rolemap --bin rolemap >/dev/null
  bin=target/debug/rolemap
else
  cargo build --release --locked -p rolemap --bin rolemap >/dev/null
  bin=target/release/rolemap
fi
work=$(mktemp -d)
server=""
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
$bin --db "$work/team.db" init --demo >/dev/null
start=$(date +%s.%N)
$bin --db "$work/team.db" bench-team --people "$PEOPLE"
echo "generated in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"
$bin --db "$work/team.db" serve --demo --addr 127.0.0.1:18411 >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -sf http://127.0.0.1:18411/healthz >/dev/null && break; sleep 0.1; done
token=$($bin --db "$work/team.db" user token create grace --name bench --format json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
url=http://127.0.0.1:18411/teams/bench-head
auth="Authorization: Bearer $token"
# The first answer reads every history into memory; the page's size says what is measured.
curl -sf -H "$auth" -o "$work/page.html" -w 'first answer: %{time_total} s, %{size_download} bytes\n' "$url"
grep -o '[0-9]* self-ratings waiting for review' "$work/page.html" | head -1

measure() { # connections -> "rps p50_ms p99_ms"
  wrk -t1 -c"$1" -d"$DURATION" --latency -H "$auth" "$url" | python3 -c '
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
for c in 1 "$CONNECTIONS"; do
  for _ in $(seq 1 "$ROUNDS"); do measure "$c"; done | sort -n -k3 | python3 -c "
import sys
rows = [list(map(float, l.split())) for l in sys.stdin]
med = lambda i: sorted(r[i] for r in rows)[len(rows) // 2]
print(f'connections $c: {med(0):.1f} req/s, p50 {med(1):.1f} ms, p99 {med(2):.1f} ms (median of {len(rows)} rounds)')"
done
