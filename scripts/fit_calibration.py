"""Fits the extractor's calibration (`CALIBRATION` in crates/rolemap-text/src/extract/rules.rs)
on the labelled real advert sentences, and measures the keep rule (`MIN_CONFIDENCE`,
`CLAUSE_KEEPS`) that trades precision for recall.

  python3 scripts/fit_calibration.py EVAL_DIR WORK_DIR SKILLS_CSV

WORK_DIR holds what `scripts/eval-real-text.sh` makes with QUICK=1 and DUMP=1: `<set>.jsonl` (the
sentences) and `<set>.dump.jsonl` (every hit with its evidence, no hit dropped). A hit is right
when its skill is one the sentence's labellers named. The model is a logistic regression over the
hit's evidence (per signal an intercept and a slope on its own score; relevance, coverage, cover, the
number of skills its clause names, the skill's prior, whether it is the clause's best), fitted by
Newton's method with a small ridge. To see how far it generalises it is also fitted on one set
and scored on the other; the weights printed are fitted on both.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval_real_text import SETS, gold_sets, preferred_labels  # noqa: E402

SIGNALS = ("label", "phrase", "paraphrase", "retrieval")
RIDGE = 1.0


def features(h):
    at = SIGNALS.index(h["signal"])
    x = [0.0] * 8
    x[at] = 1.0
    x[4 + at] = h["own"]
    return x + [
        h["relevance"],
        h["coverage"],
        h["cover"],
        math.log(1 + h["named"]),
        h["prior"] - 1,
        1.0 if h["relevance"] >= 0.999 else 0.0,
    ]


def load(eval_dir, work, pref):
    data = {}
    for name in SETS:
        gold = gold_sets(eval_dir, name, pref)
        sents = list(gold_sets(eval_dir, name, None))
        hits = []
        with open(os.path.join(work, f"{name}.dump.jsonl"), encoding="utf-8") as f:
            for line in f:
                h = json.loads(line)
                s = sents[h["id"]]
                if not gold.get(s):
                    continue
                h["sentence"] = s
                h["y"] = h["label"].lower().strip() in gold[s]
                h["x"] = features(h)
                hits.append(h)
        data[name] = (hits, {s: g for s, g in gold.items() if g})
    return data


def solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            continue
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if abs(m[i][i]) > 1e-12 else 0.0 for i in range(n)]


def fit(hits):
    d = len(hits[0]["x"])
    w = [0.0] * d
    for _ in range(30):
        g = [RIDGE * v for v in w]
        hess = [[RIDGE if i == j else 0.0 for j in range(d)] for i in range(d)]
        for h in hits:
            x = h["x"]
            p = 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, x))))
            r = p - h["y"]
            s = p * (1 - p)
            for i in range(d):
                if x[i]:
                    g[i] += r * x[i]
                    xi = s * x[i]
                    row = hess[i]
                    for j in range(d):
                        if x[j]:
                            row[j] += xi * x[j]
        step = solve(hess, g)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(v) for v in step) < 1e-6:
            break
    return w


def confidence(w, h):
    return 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, h["x"]))))


def score(w, hits, gold, threshold, keeps):
    """RP@5, P, R, F1, empty share, and (confidence, right) per kept prediction."""
    by_sent = {s: {} for s in gold}
    clause_best = {}
    for h in hits:
        c = confidence(w, h)
        key = (h["sentence"], h["clause"])
        clause_best.setdefault(key, {})
        clause_best[key][h["label"]] = max(clause_best[key].get(h["label"], 0), c)
    kept = {}
    for (s, _), skills in clause_best.items():
        ranked = sorted(skills.items(), key=lambda kv: (-kv[1], kv[0]))
        for i, (label, c) in enumerate(ranked):
            if c >= threshold or i < keeps:
                kept.setdefault(s, {})
                kept[s][label] = max(kept[s].get(label, 0), c)
    tp = npred = ngold = empty = 0
    rp = []
    pairs = []
    for s, g in gold.items():
        p = sorted(kept.get(s, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        labels = [l.lower().strip() for l, _ in p]
        tp += len(set(labels) & g)
        npred += len(set(labels))
        ngold += len(g)
        empty += not p
        rp.append(sum(1 for l in labels[:5] if l in g) / min(5, len(g)))
        pairs += [(c, l.lower().strip() in g) for l, c in p]
    pr = tp / npred if npred else 0
    rc = tp / ngold if ngold else 0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0
    return sum(rp) / len(rp), pr, rc, f1, empty / len(gold), pairs


def main():
    eval_dir, work, skills_csv = sys.argv[1:4]
    data = load(eval_dir, work, preferred_labels(skills_csv))
    both = data["tech"][0] + data["house"][0]
    w = fit(both)
    crossed = {"tech": fit(data["house"][0]), "house": fit(data["tech"][0])}
    print("set    fit    thr  keep   RP@5     P     R    F1  empty")
    for threshold in (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
        for keeps in (0, 1, 2, 3, 4):
            for name in SETS:
                hits, gold = data[name]
                for label, weights in (("both", w), ("other", crossed[name])):
                    rp, p, r, f1, em, _ = score(weights, hits, gold, threshold, keeps)
                    print(f"{name:6s} {label:5s} {threshold:4.2f} {keeps:4d} {rp:6.3f} {p:5.3f} {r:5.3f} {f1:5.3f} {em:6.3f}")
    pairs = []
    for name in SETS:
        pairs += score(w, *data[name], 0.0, 0)[5]
    print("calibration of the fit (both sets, every prediction): bin, predictions, share right")
    for b in range(10):
        inbin = [y for c, y in pairs if min(int(c * 10), 9) == b]
        if inbin:
            print(f"  [{b / 10:.1f}, {(b + 1) / 10:.1f}) {len(inbin):5d} {sum(inbin) / len(inbin):.3f}")
    f = lambda v: f"{v:.3f}"  # noqa: E731
    print("CALIBRATION: intercept [" + ", ".join(map(f, w[0:4])) + "], own [" + ", ".join(map(f, w[4:8]))
          + f"], relevance {f(w[8])}, coverage {f(w[9])}, cover {f(w[10])}, named {f(w[11])}, prior {f(w[12])}, best {f(w[13])}")


if __name__ == "__main__":
    main()
