#!/usr/bin/env bash
# HTTP benchmark: `rolemap serve` against a minimal axum hello-world, side by side in one run.
# Prints requests/s and p99 latency, the medians over ROUNDS rounds, for:
#   the baseline; GET /api/v1/roles/{id} signed in with an API token (Bearer, measured twice) and
#   with a session cookie; the role profile page signed in; GET /api/v1/people/{id}/gap for a demo person; and,
#   with ROLEMAP_ESCO_DIR set, the gap of a person with 500 assessments over all of ESCO.
# Targets: signed-in role JSON >= 0.45x hello-world req/s with p99 < 10 ms at 64 connections;
#   role page within 2x of role JSON; every gap p99 < 10 ms.
# Usage: scripts/bench-http.sh   (needs wrk: apt-get install wrk; ROUNDS, DURATION, CONNECTIONS;
#   BIN=path measures that rolemap binary, an earlier build kept aside say, instead of this tree's)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
[ -n "${BIN:-}" ] || cargo build --release --locked -p rolemap --bin rolemap >/dev/null
[ -x target/release/examples/hello ] || cargo build --release --locked -p rolemap-server --example hello >/dev/null
bin=${BIN:-target/release/rolemap}
work=$(mktemp -d)
$bin --db "$work/bench.db" serve --demo --addr 127.0.0.1:18401 >"$work/rolemap.log" 2>&1 &
rolemap=$!
target/release/examples/hello 127.0.0.1:18402 &
hello=$!
esco=""
trap 'kill $rolemap $hello $esco 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null && return 0; sleep 0.1; done; echo "no answer from $1" >&2; exit 1; }
wait_for http://127.0.0.1:18401/healthz
wait_for http://127.0.0.1:18402/
json() { python3 -c "import json,sys; v=json.load(sys.stdin); print($1)"; }

# Signed in as the demo administrator: a session cookie from the sign-in form, an API token from
# the command line (beside the running server, as an operator would make one).
# The sign-in form carries a form token bound to a cookie the page hands out.
csrf=$(curl -sf -c "$work/jar" http://127.0.0.1:18401/login | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
cookie=$(curl -s -o /dev/null -D - -b "$work/jar" --data "username=grace&password=rolemap-demo&next=/&csrf=$csrf" \
  http://127.0.0.1:18401/login | sed -n 's/^[Ss]et-[Cc]ookie: \(rolemap_session=[0-9a-f]*\).*/\1/p')
[ -n "$cookie" ] || { echo "signing in as grace failed" >&2; exit 1; }
token=$($bin --db "$work/bench.db" user token create grace --name bench --format json | json 'v["token"]')
bearer="Authorization: Bearer $token"
id=$(curl -sf -H "$bearer" http://127.0.0.1:18401/api/v1/roles/odp:team-leader | json 'v["id"]')

# wrk --latency prints "Requests/sec: N" and a percentile table with "99%  1.23ms".
measure() { # url [header] -> "rps p99_ms"
  local args=(-t2 -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ $# -gt 1 ] && args+=(-H "$2")
  wrk "${args[@]}" "$1" | python3 -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", text).groups()
ms = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors: sys.exit("non-2xx responses: " + errors.group(1))
print(rps, ms)'
}

# A person with 500 assessments (125 skills, 4 each, the target role's first) in an ESCO database.
esco_gap=""
if [ -n "${ROLEMAP_ESCO_DIR:-}" ]; then
  $bin --db "$work/esco.db" import esco "$ROLEMAP_ESCO_DIR" >/dev/null 2>&1
  # Ratings come from the person's manager: the administrator is the bench person's manager.
  $bin --db "$work/esco.db" person add "Bench Manager" >/dev/null
  printf 'bench-admin-password\n' | $bin --db "$work/esco.db" user add admin --role admin --person "Bench Manager" --password-stdin >/dev/null
  esco_token=$($bin --db "$work/esco.db" user token create admin --name bench --format json | json 'v["token"]')
  $bin --db "$work/esco.db" serve --addr 127.0.0.1:18403 >"$work/esco.log" 2>&1 &
  esco=$!
  wait_for http://127.0.0.1:18403/healthz
  api() { curl -sf -H "Authorization: Bearer $esco_token" -H 'content-type: application/json' "$@"; }
  role=$(api "http://127.0.0.1:18403/api/v1/roles?framework=esco" \
    | json 'next(r["id"] for r in v if r["title"] == "ICT operations manager")')
  person=$(api -d "{\"name\": \"Bench Person\", \"role\": \"$role\", \"manager\": \"Bench Manager\"}" http://127.0.0.1:18403/api/v1/people | json 'v["key"]')
  api "http://127.0.0.1:18403/api/v1/roles/$role" >"$work/role.json"
  api "http://127.0.0.1:18403/api/v1/skills?framework=esco" >"$work/skills.json"
  python3 - "$work/role.json" "$work/skills.json" >"$work/assessments.json" <<'PY'
import json, sys
role, skills = (json.load(open(p)) for p in sys.argv[1:3])
ids = [r["skill_id"] for r in role["requirements"]]
ids += [s["id"] for s in skills if s["id"] not in ids][: 125 - len(ids)]
items = [{"skill": str(i), "level": "Y" if (n + k) % 3 else "none"} for k in range(4) for n, i in enumerate(ids)]
print(json.dumps({"assessments": items}))
PY
  stored=$(api -d @"$work/assessments.json" "http://127.0.0.1:18403/api/v1/people/$person/assessments" | json 'len(v)')
  [ "$stored" = 500 ] || { echo "stored $stored assessments, not 500" >&2; exit 1; }
  # After an import the server computes ESCO's neighbour lists once (about 11 s of one core),
  # beside whatever it answers; similar roles wait for them, so the rounds measure the gap, not
  # that one-off computation competing with it.
  api "http://127.0.0.1:18403/api/v1/roles/$role/similar" >/dev/null
  esco_gap="http://127.0.0.1:18403/api/v1/people/$person/gap"
else
  echo "ROLEMAP_ESCO_DIR is not set: the gap over all of ESCO is skipped"
fi

declare -a hello_rps hello_p99 json_rps json_p99 tok_rps tok_p99 ses_rps ses_p99 page_rps page_p99 gap_rps gap_p99 egap_rps egap_p99
for round in $(seq 1 "$ROUNDS"); do
  read -r r p < <(measure http://127.0.0.1:18402/); hello_rps+=("$r"); hello_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/api/v1/roles/$id" "$bearer"); json_rps+=("$r"); json_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/api/v1/roles/$id" "$bearer"); tok_rps+=("$r"); tok_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/api/v1/roles/$id" "Cookie: $cookie"); ses_rps+=("$r"); ses_p99+=("$p")
  read -r r p < <(measure "http://127.0.0.1:18401/roles/$id" "Cookie: $cookie"); page_rps+=("$r"); page_p99+=("$p")
  read -r r p < <(measure http://127.0.0.1:18401/api/v1/people/daniel-mensah/gap "$bearer"); gap_rps+=("$r"); gap_p99+=("$p")
  if [ -n "$esco_gap" ]; then
    read -r r p < <(measure "$esco_gap" "Authorization: Bearer $esco_token"); egap_rps+=("$r"); egap_p99+=("$p")
  fi
  echo "round $round: hello ${hello_rps[-1]}; role JSON ${json_rps[-1]}, bearer ${tok_rps[-1]} (p99 ${tok_p99[-1]} ms), cookie ${ses_rps[-1]} (p99 ${ses_p99[-1]} ms); page ${page_rps[-1]}; gap ${gap_rps[-1]} (p99 ${gap_p99[-1]} ms)${esco_gap:+; ESCO gap ${egap_rps[-1]} (p99 ${egap_p99[-1]} ms)}"
done
python3 - "${hello_rps[*]}" "${hello_p99[*]}" "${json_rps[*]}" "${json_p99[*]}" "${tok_rps[*]}" "${tok_p99[*]}" \
  "${ses_rps[*]}" "${ses_p99[*]}" "${page_rps[*]}" "${page_p99[*]}" "${gap_rps[*]}" "${gap_p99[*]}" \
  "${egap_rps[*]:-}" "${egap_p99[*]:-}" "$CONNECTIONS" <<'PY'
import statistics as st, sys
a = [[float(x) for x in s.split()] for s in sys.argv[1:15]]
h, hp, j, jp, t, tp, s, sp, p, pp, g, gp, e, ep = a
m = st.median
print(f"medians over {len(h)} rounds, wrk -t2 -c{sys.argv[15]}:")
rows = [("hello-world", h, hp), ("GET /api/v1/roles/{id} (Bearer)", j, jp),
        ("  signed in, Bearer token", t, tp), ("  signed in, session cookie", s, sp),
        ("GET /roles/{id} (HTML, cookie)", p, pp), ("GET /api/v1/people/{id}/gap (demo)", g, gp)]
if e:
    rows.append(("  ESCO, 500 assessments", e, ep))
for name, rps, p99 in rows:
    print(f"  {name:<36} {m(rps):>9.0f} req/s   p99 {m(p99):.2f} ms")
print(f"ratio role JSON / hello-world: {m(j)/m(h):.2f}")
print(f"ratio signed-in role JSON / hello-world: Bearer {m(t)/m(h):.2f}, cookie {m(s)/m(h):.2f} (target >= 0.45)")
print(f"signed-in role JSON p99: Bearer {m(tp):.2f} ms, cookie {m(sp):.2f} ms (target < 10 ms)")
print(f"ratio role page time / role JSON time: {m(j)/m(p):.2f} (target <= 2.00)")
print(f"gap p99: demo {m(gp):.2f} ms" + (f", ESCO with 500 assessments {m(ep):.2f} ms" if e else ", ESCO skipped") + " (target < 10 ms)")
PY
