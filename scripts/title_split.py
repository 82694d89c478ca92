"""Writes the held-out split of the title-coding baseline (d_title_coding.py) as TSV files, so
rolemap's evaluation (crates/rolemap-titles/examples/eval_titles.rs) codes exactly the baseline's
queries against exactly its index.

  python scripts/title_split.py OUT_DIR [--seed 7] [--bench /work/shared/bench]

docs.tsv:    label, occupation index, occupation URI, kind (preferred | alternative)
queries.tsv: label, kind (alt | hidden), trivial (1 if the exact label is indexed), gold
             (comma-separated indexes of the occupations that carry the label anywhere in ESCO)
Labels are as the baseline normalises them (lowercase, single spaces); none contains a tab.
"""
import argparse
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bench", default=os.environ.get("ROLEMAP_BENCH_DIR", "/work/shared/bench"))
    a = ap.parse_args()
    sys.path.insert(0, a.bench)
    import d_title_coding as d

    occ, docs, doc_occ, queries, q_kind, gold, trivial = d.split(seed=a.seed)
    uris = occ.conceptUri.tolist()
    os.makedirs(a.out, exist_ok=True)
    seen = set()
    with open(os.path.join(a.out, "docs.tsv"), "w", encoding="utf-8") as f:
        for label, o in zip(docs, doc_occ):
            # split() appends each occupation's preferred label before its alternative ones
            kind = "alternative" if o in seen else "preferred"
            seen.add(o)
            f.write(f"{label}\t{o}\t{uris[o]}\t{kind}\n")
    with open(os.path.join(a.out, "queries.tsv"), "w", encoding="utf-8") as f:
        for q, k, g, t in zip(queries, q_kind, gold, trivial):
            f.write(f"{q}\t{k}\t{int(t)}\t{','.join(str(x) for x in sorted(g))}\n")
    print(f"title split seed {a.seed}: {len(docs)} docs, {len(queries)} queries -> {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
