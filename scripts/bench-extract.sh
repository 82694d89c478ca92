#!/usr/bin/env bash
# Skill extraction benchmark: rolemap-text's label signal over ESCO's ~112k labels (preferred,
# alternative, hidden) against the pyahocorasick baseline (../shared/bench/c_extract.py --impl ac),
# on the synthetic corpus of 20,000 adverts, alternating, ROUNDS rounds in one run. Matching only
# on both sides (the index built once, apart): the baseline's in-process median (`--repeat`)
# against the median of our all-cores runs (RUNS per round): the skills alone (a set per advert,
# negation applied, as the baseline gives its sets) and every hit with its span, label and
# confidence (what `rolemap extract` shows). Recall of the skills inserted into
# the adverts is counted the same way on both sides. Build times are reported apart.
# Usage: scripts/bench-extract.sh   (ROLEMAP_ESCO_DIR: the folder of the two zips)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
REPEAT=${REPEAT:-5}
export RUNS=${RUNS:-5}
zips=$(cd "${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}" && pwd)
bench_root=/tmp/rolemap-bench
python=$bench_root/venv/bin/python
if [ ! -x "$python" ] || [ ! -f "$bench_root/esco/en/skills_en.csv" ] || [ ! -f "$bench_root/data/ads_gold.tsv" ]; then
  ESCO_ZIPS="$zips" BENCH_ROOT="$bench_root" ../shared/bench/setup.sh
fi
export ESCO_DIR=$bench_root/esco PERF_DATA=$bench_root/data
cargo build --release --locked -p rolemap-text --example bench_extract >/dev/null 2>&1
ours_bin=$PWD/target/release/examples/bench_extract
baseline=$(cd ../shared/bench && pwd)/c_extract.py

# The baseline prints "c_extract[ac] build ... median <ms> ms" and "... extract 20000 ads median
# <ms> ms" and the recall line on stderr.
baseline_run() {
  (cd "$(dirname "$baseline")" && "$python" "$baseline" --impl ac --repeat "$REPEAT" 2>&1 >/dev/null) | python3 -c '
import re, sys
text = sys.stdin.read()
build = float(re.search(r"build \(.*?median\s+([\d.]+) ms", text).group(1))
extract = float(re.search(r"extract (\d+) ads\s+median\s+([\d.]+) ms", text).group(2))
ads = int(re.search(r"extract (\d+) ads", text).group(1))
recall = float(re.search(r"recall of label-inserted skills ([\d.]+)", text).group(1))
print(extract, build, ads, recall)'
}
ours_run() {
  PARAPHRASE_ADS=${PARAPHRASE_ADS:-0} "$ours_bin" | python3 -c '
import re, sys
text = sys.stdin.read()
m = re.search(r"bench_extract labels median ([\d.]+) ms ([\d.]+) ads/s recall ([\d.]+)", text)
k = re.search(r"bench_extract skills median ([\d.]+) ms ([\d.]+) ads/s recall ([\d.]+)", text)
b = re.search(r"bench_extract build median ([\d.]+) ms", text)
s = re.search(r"single thread: [\d.]+ ms, ([\d.]+) ads/s", text)
print(k.group(1), m.group(1), b.group(1), k.group(3), m.group(3), s.group(1))'
}

rows=()
for round in $(seq 1 "$ROUNDS"); do
  read -r base_ms base_build ads base_recall < <(baseline_run)
  read -r ours_ms hits_ms ours_build ours_recall hits_recall single < <(ours_run)
  printf 'round %s: pyahocorasick %.1f ms (%.0f ads/s); rolemap skills %.1f ms (%.0f ads/s), with hits %.1f ms (%.0f ads/s, one thread %.0f ads/s); build %.0f ms vs %.0f ms\n' \
    "$round" "$base_ms" "$(echo "$ads / $base_ms * 1000" | bc -l)" "$ours_ms" "$(echo "$ads / $ours_ms * 1000" | bc -l)" \
    "$hits_ms" "$(echo "$ads / $hits_ms * 1000" | bc -l)" "$single" "$base_build" "$ours_build"
  rows+=("$base_ms $ours_ms $base_build $ours_build $base_recall $ours_recall $ads $single $hits_ms $hits_recall")
done

# One run with the paraphrase signal too, on the first 2,000 adverts, for its cost.
PARAPHRASE_ADS=2000 RUNS=1 "$ours_bin" | grep -E 'labels and paraphrase' | sed 's/^/rolemap: /'

printf '%s\n' "${rows[@]}" | python3 -c "
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin]
col = lambda i: statistics.median(r[i] for r in rows)
b, o, bb, ob, br, orc, ads, single, h, hr = (col(i) for i in range(10))
print(f'median of {len(rows)} rounds, matching only, skill sets per advert as the baseline gives: '
      f'pyahocorasick {ads / b * 1000:,.0f} ads/s, rolemap {ads / o * 1000:,.0f} ads/s, ratio {b / o:.1f}x; target >= 10x')
print(f'rolemap with every hit (span, label, negation, confidence): {ads / h * 1000:,.0f} ads/s, ratio {b / h:.1f}x '
      f'(one thread {single:,.0f} ads/s, {single / (ads / b * 1000):.1f}x)')
print(f'recall of inserted skills: pyahocorasick {br:.3f}, rolemap {orc:.4f} (with hits {hr:.4f})')
print(f'build (not counted above): pyahocorasick {bb:.0f} ms, rolemap {ob:.0f} ms')
"
