#!/usr/bin/env bash
# All-pairs role similarity benchmark: rolemap-similarity's `all_neighbours(10)` over ESCO's 3,007
# occupations against the scipy baseline (../shared/bench/b_similarity.py: dense cosine, Jaccard
# and coverage matrices from sparse products, top-10 by argpartition), alternating, ROUNDS rounds
# in one run. Compares kernels only, loading excluded on both sides: the baseline's four kernel
# medians (`--repeat 5`) added up against the median of our all-pairs runs (RUNS per round).
# Then one whole process of each (loading included) for time and peak memory, and the checksums
# (sums of cosine, Jaccard and coverage over all pairs) of both, which must agree.
# Usage: scripts/bench-similarity.sh   (ROLEMAP_ESCO_DIR: the folder of the two zips)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
export RUNS=${RUNS:-7}
zips=$(cd "${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}" && pwd)
bench_root=/tmp/rolemap-bench
python=$bench_root/venv/bin/python
if [ ! -x "$python" ] || [ ! -f "$bench_root/esco/rel/occupationSkillRelations.csv" ]; then
  ESCO_ZIPS="$zips" BENCH_ROOT="$bench_root" ../shared/bench/setup.sh
fi
export ESCO_DIR=$bench_root/esco PERF_DATA=$bench_root/data ROLEMAP_ESCO_DIR=$zips
cargo build --release --locked -p rolemap-similarity --example bench_similarity >/dev/null 2>&1
ours_bin=$PWD/target/release/examples/bench_similarity
baseline=$(cd ../shared/bench && pwd)/b_similarity.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The baseline prints "b_similarity <kernel> ... median <ms> ms" per kernel on stderr.
baseline_kernels() {
  (cd "$(dirname "$baseline")" && "$python" "$baseline" --repeat 5 2>&1 >/dev/null) | python3 -c '
import re, sys
text = sys.stdin.read()
ms = {k: float(re.search(r"b_similarity " + k + r".*?median\s+([\d.]+) ms", text).group(1))
      for k in ("cosine", "jaccard", "coverage", "topk")}
print(sum(ms.values()), " ".join(f"{k}={v:.1f}" for k, v in ms.items()))'
}
ours_all_pairs() {
  "$ours_bin" | python3 -c '
import re, sys
text = sys.stdin.read()
print(re.search(r"bench_similarity all-pairs median ([\d.]+) ms", text).group(1),
      re.search(r"bench_similarity with-totals median ([\d.]+) ms", text).group(1))'
}

rows=()
for round in $(seq 1 "$ROUNDS"); do
  read -r base detail < <(baseline_kernels)
  read -r ours totals < <(ours_all_pairs)
  printf 'round %s: scipy kernels %.1f ms (%s); rolemap all-pairs %.2f ms (with per-pair totals %.2f ms)\n' \
    "$round" "$base" "$detail" "$ours" "$totals"
  rows+=("$base $ours $totals")
done

# One whole process each, loading included: wall time and peak resident memory.
(cd "$(dirname "$baseline")" && /usr/bin/time -f '%e %M' -o "$work/base.time" "$python" "$baseline" >"$work/base.out" 2>&1)
RUNS=1 /usr/bin/time -f '%e %M' -o "$work/ours.time" "$ours_bin" >"$work/ours.out" 2>&1
grep -E 'cos sum|top-5' "$work/base.out" | sed 's/^/scipy:   /'
grep -E 'cos sum|top-5' "$work/ours.out" | sed 's/^/rolemap: /'

printf '%s\n' "${rows[@]}" | python3 -c "
import re, statistics, sys
base, ours, totals = zip(*(map(float, line.split()) for line in sys.stdin))
b, o, t = statistics.median(base), statistics.median(ours), statistics.median(totals)
print(f'median of {len(base)} rounds: scipy kernels {b:.1f} ms, rolemap all-pairs {o:.2f} ms, ratio {b / o:.1f}x'
      f' (with per-pair totals {t:.2f} ms, {b / t:.1f}x); target >= 10x')
bt, bm = open('$work/base.time').read().split()[-2:]
ot, om = open('$work/ours.time').read().split()[-2:]
print(f'whole process: scipy {float(bt):.2f} s, peak {int(bm) / 1024:.0f} MB; '
      f'rolemap {float(ot):.2f} s, peak {int(om) / 1024:.0f} MB (goal < 200 MB)')
sums = lambda path: re.search(r'cos sum ([\d.]+) jac sum ([\d.]+) cov sum ([\d.]+)', open(path).read()).groups()
bs, os_ = sums('$work/base.out'), sums('$work/ours.out')
print('checksums ' + ('match' if bs == os_ else 'DIFFER') + f': cos {os_[0]} jac {os_[1]} cov {os_[2]}')
sys.exit(0 if bs == os_ else 1)
"
