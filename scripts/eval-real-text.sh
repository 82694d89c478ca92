#!/usr/bin/env bash
# Skills in REAL advert sentences: rolemap against the TF-IDF baseline, side by side in one run,
# on the labelled validation sentences of ../shared/data/eval/decorte-validation/ (see its README
# for the scoring rules), over all of ESCO v1.1.1.
#   1. ESCO imported into a temporary database (`rolemap import esco`, release build);
#   2. every sentence through `rolemap extract --jsonl IN OUT --framework esco`, scored by
#      scripts/eval_real_text.py (RP@5, micro P/R/F1, share of sentences with no skill, and the
#      calibration table of the confidences);
#   3. the baseline, ../shared/bench/e_real_text.py (char 2-4-gram TF-IDF over ESCO's skill labels,
#      and the Aho-Corasick label matcher), in the venv that setup.sh makes.
# Prints a table of both.
#
#   scripts/eval-real-text.sh   (FAILURES=N lists N misses per set; BASELINE=0 skips the baseline;
#                                QUICK=1 runs the extractor example, not the CLI and its store;
#                                QUICK=1 FIT=1 also refits the calibration, scripts/fit_calibration.py)
#
# Environment: ROLEMAP_ESCO_DIR (the folder of the two zips, default ../shared/data/esco-v1.1.1),
# ROLEMAP_EVAL_DIR (default ../shared/data/eval/decorte-validation), ROLEMAP_BENCH_DIR (the baseline
# scripts, default ../shared/bench), ROLEMAP_BENCH_ROOT (default /tmp/rolemap-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
zips=$(cd "${ROLEMAP_ESCO_DIR:-../shared/data/esco-v1.1.1}" && pwd)
eval_dir=$(cd "${ROLEMAP_EVAL_DIR:-../shared/data/eval/decorte-validation}" && pwd)
bench=$(cd "${ROLEMAP_BENCH_DIR:-../shared/bench}" && pwd)
root=${ROLEMAP_BENCH_ROOT:-/tmp/rolemap-bench}
failures=${FAILURES:-0}
if [ "${BASELINE:-1}" != 0 ] && { [ ! -x "$root/venv/bin/python" ] || [ ! -f "$root/esco/en/skills_en.csv" ]; }; then
  ESCO_ZIPS="$zips" BENCH_ROOT="$root" "$bench/setup.sh"
fi
work=$(mktemp -d /tmp/rolemap-real-text.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/esco"
unzip -q -o "$zips"/esco-v1.1.1-classification-en-csv.zip skills_en.csv -d "$work/esco"
python3 scripts/eval_real_text.py prepare "$eval_dir" "$work"
if [ "${QUICK:-0}" = 1 ]; then
  # The extractor alone, from skills_en.csv (no store): for trying changes quickly.
  # QUICK_PROFILE=dev uses a debug build (slower to run, quicker to build).
  profile=${QUICK_PROFILE:-release}
  cargo build --profile "$profile" --quiet -p rolemap-text --example eval_real
  dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
  for set in tech house; do
    python3 -c 'import json, sys; [print(json.loads(l)["text"]) for l in open(sys.argv[1])]' "$work/$set.jsonl" >"$work/$set.txt"
    if [ "${FIT:-0}" = 1 ]; then
      DUMP="$work/$set.dump.jsonl" "target/$dir/examples/eval_real" "$work/esco/skills_en.csv" "$work/$set.txt" "$work/$set.out.jsonl"
    else
      "target/$dir/examples/eval_real" "$work/esco/skills_en.csv" "$work/$set.txt" "$work/$set.out.jsonl"
    fi
  done
  if [ "${FIT:-0}" = 1 ]; then
    python3 scripts/fit_calibration.py "$eval_dir" "$work" "$work/esco/skills_en.csv"
  fi
else
  cargo build --release --quiet -p rolemap
  rolemap=$PWD/target/release/rolemap
  export ROLEMAP_DB=$work/rolemap.db
  "$rolemap" import esco --skip-dangling "$zips" >/dev/null 2>&1
  for set in tech house; do
    "$rolemap" extract --framework esco --jsonl "$work/$set.jsonl" "$work/$set.out.jsonl" 2>/dev/null
  done
fi
ours=$(python3 scripts/eval_real_text.py score "$eval_dir" "$work" "$work/esco/skills_en.csv" --failures "$failures")

base=""
if [ "${BASELINE:-1}" != 0 ]; then
  base=$(cd "$bench" && ESCO_DIR="$root/esco" EVAL_DIR="$eval_dir" "$root/venv/bin/python" e_real_text.py 2>&1)
fi

echo "== rolemap extract --framework esco, against the baseline (../shared/bench/e_real_text.py)"
printf '%-6s %-22s %6s %6s %6s %6s %6s\n' set method RP@5 P R F1 empty
for set in tech house; do
  echo "$ours" | sed -n "s/^RESULT $set .*rp5=\([0-9.]*\) p=\([0-9.]*\) r=\([0-9.]*\) f1=\([0-9.]*\) empty=\([0-9.]*\)/\1 \2 \3 \4 \5/p" |
    while read -r rp p r f1 em; do printf '%-6s %-22s %6s %6s %6s %6s %6s\n' "$set" rolemap "$rp" "$p" "$r" "$f1" "$em"; done
  if [ -n "$base" ]; then
    echo "$base" | sed -n "s/^${set}_validation.*AC set P \([0-9.]*\) R \([0-9.]*\) F1 \([0-9.]*\) RP@5 \([0-9.]*\).*tfidf-char RP@5 \([0-9.]*\).*/\4 \1 \2 \3 \5/p" |
      while read -r rp p r f1 tf; do
        printf '%-6s %-22s %6s %6s %6s %6s %6s\n' "$set" "tf-idf char 2-4" "$tf" - - - 0.000
        printf '%-6s %-22s %6s %6s %6s %6s %6s\n' "$set" "aho-corasick labels" "$rp" "$p" "$r" "$f1" -
      done
  fi
done
echo "$ours" | grep -v '^RESULT'
