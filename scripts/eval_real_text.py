"""Scores `rolemap extract --jsonl` on the labelled real advert sentences (the Decorte et al.
validation splits, ../shared/data/eval/decorte-validation/; see its README for the rules).

  python3 scripts/eval_real_text.py prepare EVAL_DIR OUT_DIR      # writes OUT_DIR/<set>.jsonl
  python3 scripts/eval_real_text.py score EVAL_DIR OUT_DIR SKILLS_CSV [--failures N]

Gold: each label mapped to an ESCO v1.1.1 skill by exact lowercased preferred label ("LABEL NOT
PRESENT", "UNDERSPECIFIED" and unmapped labels give none); only sentences with a gold skill are
scored, exactly as the baseline (../shared/bench/e_real_text.py) scores them. Per sentence the
extracted skills are ranked by confidence (rolemap's own order); RP@5 = gold in the top 5 /
min(5, |gold|); micro precision, recall and F1 of the unranked set; the share of sentences with no
skill. The calibration table bins every predicted (sentence, skill) by its confidence and gives the
share right in each bin, over both sets.
"""
import csv
import json
import os
import sys

SETS = ("tech", "house")
NONE = {"LABEL NOT PRESENT", "UNDERSPECIFIED", ""}


def gold_sets(eval_dir, name, pref):
    gold = {}
    with open(os.path.join(eval_dir, f"{name}_validation_annotations.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            g = gold.setdefault(row["sentence"], set())
            label = row["label"]
            if label in NONE:
                continue
            key = label.lower().strip()
            if pref is None or key in pref:
                g.add(key)
    return {s: g for s, g in gold.items() if g or pref is None}


def prepare(eval_dir, out):
    os.makedirs(out, exist_ok=True)
    for name in SETS:
        sents = list(gold_sets(eval_dir, name, None))
        with open(os.path.join(out, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for i, s in enumerate(sents):
                f.write(json.dumps({"id": i, "text": s}) + "\n")


def preferred_labels(skills_csv):
    with open(skills_csv, encoding="utf-8") as f:
        return {row["preferredLabel"].lower().strip() for row in csv.DictReader(f)}


def score(eval_dir, out, skills_csv, failures):
    pref = preferred_labels(skills_csv)
    bins = [0.0] * 10, [0] * 10
    by_signal = {}
    rows = []
    for name in SETS:
        gold = gold_sets(eval_dir, name, pref)
        sents = list(gold_sets(eval_dir, name, None))
        preds = {}
        with open(os.path.join(out, f"{name}.out.jsonl"), encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                preds[sents[o["id"]]] = [
                    (s["skill"]["label"].lower().strip(), s["confidence"]) for s in o["skills"]
                ]
                for s in o["skills"]:
                    sig = (s.get("signals") or ["?"])[0]
                    by_signal.setdefault(sig, [0, 0])
                    by_signal[sig][1] += 1
                    by_signal[sig][0] += s["skill"]["label"].lower().strip() in gold.get(sents[o["id"]], ())
        scored = [s for s in sents if gold.get(s)]
        tp = npred = ngold = empty = 0
        rp = []
        shown = 0
        for s in scored:
            g = gold[s]
            p = preds.get(s, [])
            labels = [l for l, _ in p]
            tp += len(set(labels) & g)
            npred += len(set(labels))
            ngold += len(g)
            empty += not p
            rp.append(sum(1 for l in labels[:5] if l in g) / min(5, len(g)))
            for l, c in p:
                b = min(int(c * 10), 9)
                bins[0][b] += l in g
                bins[1][b] += 1
            if failures and shown < failures and not set(labels[:5]) & g:
                shown += 1
                print(f"  miss [{name}] {s[:110]!r}\n       gold {sorted(g)}\n       got  {labels[:5]}",
                      file=sys.stderr)
        p_ = tp / npred if npred else 0.0
        r_ = tp / ngold if ngold else 0.0
        f1 = 2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0
        rows.append((name, len(scored), ngold, sum(rp) / len(rp), p_, r_, f1, empty / len(scored)))
    for name, n, ng, rp5, p_, r_, f1, em in rows:
        print(f"RESULT {name} sentences={n} gold={ng} rp5={rp5:.3f} p={p_:.3f} r={r_:.3f} f1={f1:.3f} empty={em:.3f}")
    print("by signal (both sets; each skill's most confident): predictions, share right")
    for sig, (right, n) in sorted(by_signal.items()):
        print(f"  {sig:11s} {n:5d} {right / n:.3f}")
    print("calibration (both sets): confidence bin, predictions, share right")
    for b in range(10):
        if bins[1][b]:
            print(f"  [{b / 10:.1f}, {(b + 1) / 10:.1f}) {bins[1][b]:5d} {bins[0][b] / bins[1][b]:.3f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "prepare":
        prepare(sys.argv[2], sys.argv[3])
    elif cmd == "score":
        n = int(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[5] == "--failures" else 0
        score(sys.argv[2], sys.argv[3], sys.argv[4], n)
    else:
        sys.exit(f"unknown command {cmd}")
