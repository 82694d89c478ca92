#!/usr/bin/env bash
# HTTP benchmark: `rolemap serve` against a minimal axum hello-world, side by side in one run.
# Prints requests/s and latency for GET /api/v1/roles/{id}, the role profile page and the
# baseline, the medians over ROUNDS rounds, and the ratios the issue sets as targets:
#   role JSON >= 0.5x hello-world req/s, p99 < 10 ms at 64 connections; role page within 2x of JSON.
# Usage: scripts/bench-http.sh   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --locked -p rolemap --bin rolemap >/dev/null
cargo build --release --locked -p rolemap-server --example hello >/dev/null
work=$(mktemp -d)
target/release/rolemap --db "$work/bench.db" serve --demo --addr 127.0.0.1:18401 >"$work/rolemap.log" 2>&1 &
rolemap=$!
target/release/examples/hello 127.0.0.1:18402 &
hello=$!
trap 'kill $rolemap $hello 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18401/healthz >/dev/null && curl -sf http://127.0.0.1:18402/ >/dev/null && break; sleep 0.1; done
id=$(curl -sf http://127.0.0.1:18401/api/v1/roles/odp:team-leader | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')

# wrk --latency prints "Requests/sec: N" and a percentile table with "99%  1.23ms".
measure() { # url -> "rps p99_ms"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text).groups()
ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("non-2xx responses: " + errors.group(1))
print(rps, ms)'
}

declare -a hello_rps json_rps page_rps json_p99 page_p99 hello_p99
for round in $(seq 1 "$ROUNDS"); do
  read -r r p < <(measure http://127.0.0.1:18402/); hello_rps+=("$r"); hello_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/api/v1/roles/$id"); json_rps+=("$r"); json_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/roles/$id"); page_rps+=("$r"); page_p99+=("$p")
  echo "round $round: hello ${hello_rps[-1]} req/s; role JSON ${json_rps[-1]} req/s (p99 ${json_p99[-1]} ms); role page ${page_rps[-1]} req/s (p99 ${page_p99[-1]} ms)"
done
python3 - "${hello_rps[*]}" "${json_rps[*]}" "${page_rps[*]}" "${hello_p99[*]}" "${json_p99[*]}" "${page_p99[*]}" <<'PY'
import statistics as st, sys
h, j, p, hp, jp, pp = ([float(x) for x in a.split()] for a in sys.argv[1:7])
m = st.median
print(f"medians over {len(h)} rounds, wrk -t2 -c64:")
print(f"  hello-world       {m(h):>10.0f} req/s   p99 {m(hp):.2f} ms")
print(f"  GET /api/v1/roles/{{id}} {m(j):>6.0f} req/s   p99 {m(jp):.2f} ms")
print(f"  GET /roles/{{id}} (HTML) {m(p):>6.0f} req/s   p99 {m(pp):.2f} ms")
print(f"ratio role JSON / hello-world: {m(j)/m(h):.2f} (target >= 0.50)")
print(f"ratio role page time / role JSON time: {m(j)/m(p):.2f} (target <= 2.00)")
print(f"role JSON p99: {m(jp):.2f} ms (target < 10 ms)")
PY
