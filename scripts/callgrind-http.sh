#!/usr/bin/env bash
# Instructions and allocations per request of `rolemap serve`, under callgrind, so the figure does
# not move with the machine's load: the release binary on the demo database, signed in with an
# API token, answers WARM requests uncounted, then N counted ones over one kept-alive connection.
# Prints instructions per request and mimalloc allocations (malloc, zalloc, realloc) per request.
# Usage: scripts/callgrind-http.sh [PATH]   (default PATH: the demo role's JSON; N, WARM; BIN=path
#   measures that binary instead of building this tree's)
#   PATH is asked for with the token, e.g. /api/v1/people/daniel-mensah/gap or /roles/{id}.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
WARM=${WARM:-200}
[ -n "${BIN:-}" ] || cargo build --release --locked -p rolemap --bin rolemap >/dev/null
bin=${BIN:-target/release/rolemap}
work=$(mktemp -d)
port=18411
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
  $bin --db "$work/cg.db" serve --demo --addr 127.0.0.1:$port >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.2; done
token=$($bin --db "$work/cg.db" user token create grace --name callgrind --format json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
if [ $# -gt 0 ]; then path=$1; else
  path=/api/v1/roles/$(curl -sf -H "Authorization: Bearer $token" \
    http://127.0.0.1:$port/api/v1/roles/odp:team-leader \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
fi
urls() { for _ in $(seq 1 "$1"); do echo "url = \"http://127.0.0.1:$port$path\""; echo 'output = "/dev/null"'; done; }
urls "$WARM" >"$work/warm.cfg"
urls "$N" >"$work/counted.cfg"
get() { curl -s --fail-early -f -H "Authorization: Bearer $token" -K "$1"; }
get "$work/warm.cfg"
callgrind_control -i on $server >/dev/null 2>&1
get "$work/counted.cfg"
callgrind_control -i off $server >/dev/null 2>&1
callgrind_control -d $server >/dev/null 2>&1
sleep 1
[ -z "${OUT:-}" ] || cp "$(ls -S "$work"/cg.out* | head -1)" "$OUT"
python3 - "$N" "$path" "$work"/cg.out* <<'PY'
import re, sys
n, path, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
names, total, allocs = {}, 0, 0
alloc = re.compile(r"^_?mi_(malloc|zalloc|realloc|calloc|heap_malloc|heap_zalloc|heap_realloc)")
for file in files:
    target, caller = None, ""
    for line in open(file, errors="replace"):
        if line.startswith("summary:") or line.startswith("totals:"):
            total = max(total, int(line.split()[1]))
        m = re.match(r"^cfn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2).strip()
            target = names.get(m.group(1), "")
            continue
        m = re.match(r"^fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2).strip()
            caller = names.get(m.group(1), "")
        # Calls into mimalloc from outside it: one per allocation, not its inner steps.
        inner = caller.startswith(("mi_", "_mi_"))
        if line.startswith("calls=") and target and alloc.match(target) and not inner:
            allocs += int(line.split()[0][6:])
print(f"{path}: {total / n:,.0f} instructions and {allocs / n:.1f} allocations per request ({n} requests)")
PY
