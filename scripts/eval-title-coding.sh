#!/usr/bin/env bash
# Job-title coding, rolemap against the TF-IDF baseline, side by side in one run on the same
# held-out split (ESCO alternative labels drawn with seed 7, and all hidden labels, as queries):
#   1. the baseline, /work/shared/bench/d_title_coding.py --vec char --repeat 5;
#   2. the same split written out by scripts/title_split.py;
#   3. rolemap-titles on it (crates/rolemap-titles/examples/eval_titles.rs, release build).
# Prints both reports and the ratio of batch queries per second.
#
#   scripts/eval-title-coding.sh [SEED]
#
# Environment: ROLEMAP_BENCH_DIR (the baseline scripts, default /work/shared/bench),
# ROLEMAP_BENCH_ROOT (venv, ESCO and data set up by setup.sh, default /tmp/rolemap-bench).
set -euo pipefail

seed="${1:-7}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
bench="${ROLEMAP_BENCH_DIR:-/work/shared/bench}"
root="${ROLEMAP_BENCH_ROOT:-/tmp/rolemap-bench}"
if [ ! -x "$root/venv/bin/python" ]; then
    "$bench/setup.sh"
fi
export ESCO_DIR="$root/esco" PERF_DATA="$root/data"
python="$root/venv/bin/python"
split="$(mktemp -d /tmp/rolemap-title-split.XXXXXX)"
trap 'rm -rf "$split"' EXIT

cargo build --release --quiet -p rolemap-titles --example eval_titles --manifest-path "$repo/Cargo.toml"
"$python" "$repo/scripts/title_split.py" "$split" --seed "$seed" --bench "$bench"

echo "== baseline: d_title_coding.py --vec char --repeat 5 (seed 7)"
baseline="$(cd "$bench" && "$python" d_title_coding.py --vec char --repeat 5 2>&1)"
echo "$baseline"
echo "== rolemap-titles (seed $seed)"
ours="$("$repo/target/release/examples/eval_titles" "$split" --repeat 5 --context "$root/esco")"
echo "$ours"

base_qps="$(echo "$baseline" | sed -n 's/.*batch rank.*-> \([0-9,]*\) q\/s.*/\1/p' | tr -d ',')"
our_qps="$(echo "$ours" | sed -n 's/^RESULT qps=\([0-9.]*\).*/\1/p')"
echo "== batch queries per second: rolemap $our_qps, baseline $base_qps, ratio $(awk -v a="$our_qps" -v b="$base_qps" 'BEGIN { printf "%.1f", a / b }')x"
