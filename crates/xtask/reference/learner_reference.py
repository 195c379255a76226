"""The online learner's reference: scikit-learn's LogisticRegression trained offline on the same features (the ones
`concord learn --features` writes) and the same first N labels, scored on the same gold.

    learner_reference.py --features F.jsonl --labels L.jsonl --gold G.jsonl --control C --curve 100,500,2000
        prints {"100": accuracy, ...} as JSON
    learner_reference.py --region-features F.jsonl --curve 100,500,2000
        the same for a region labeller: F holds every region of the labels given and of the gold (what
        `concord learn --features` writes for a boxes or polygons control); the first N labels' regions are the
        training set, and the score is the share of gold regions labelled right
    learner_reference.py --check-digits crates/xtask/data/load_digits.txt
        checks the digits demo's data against sklearn.datasets.load_digits()

LogisticRegression is multinomial (lbfgs, L2), with the online model's own penalty: the online loss per example is
-ln p_y + (l2/2)·|w|², so over N examples the objective is sum(-ln p_y) + (N·l2/2)·|w|², which is scikit-learn's
C·sum(-ln p_y) + |w|²/2 with C = 1 / (N·l2). max_iter is raised so that it converges.
"""
import argparse
import json
import sys

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def first_label(result, control):
    value = result.get(control)
    return value[0] if isinstance(value, list) and value and isinstance(value[0], str) else None


def matrix(rows, dimension):
    data, indices, indptr = [], [], [0]
    for x in rows:
        for i, v in x:
            indices.append(i)
            data.append(v)
        indptr.append(len(indices))
    return csr_matrix((np.array(data, dtype=np.float64), np.array(indices), np.array(indptr)),
                      shape=(len(rows), dimension))


def curve(args):
    features = {r["task"]: r["x"] for r in read_jsonl(args.features)}
    dimension = 1 + max((i for x in features.values() for i, _ in x), default=0)
    labels = [(r["task"], first_label(r["result"], args.control)) for r in read_jsonl(args.labels)]
    labels = [(t, y) for t, y in labels if y is not None and t in features]
    gold = [(g["task"], first_label(g["result"], args.control)) for g in read_jsonl(args.gold)]
    gold = [(t, y) for t, y in gold if y is not None and t in features]
    x_gold = matrix([features[t] for t, _ in gold], dimension)
    out = {}
    for n in [int(v) for v in args.curve.split(",")]:
        seen = labels[:n]
        if len(set(y for _, y in seen)) < 2:
            out[str(n)] = None
            continue
        model = LogisticRegression(C=1.0 / (len(seen) * args.l2), max_iter=5000)
        model.fit(matrix([features[t] for t, _ in seen], dimension), [y for _, y in seen])
        predicted = model.predict(x_gold)
        out[str(n)] = float(np.mean([p == y for p, (_, y) in zip(predicted, gold)]))
    json.dump(out, sys.stdout)
    print()


def region_curve(args):
    rows = read_jsonl(args.region_features)
    dimension = 1 + max((i for r in rows for i, _ in r["x"]), default=0)
    gold = [r for r in rows if r["set"] == "gold"]
    x_gold = matrix([r["x"] for r in gold], dimension)
    out = {}
    for n in [int(v) for v in args.curve.split(",")]:
        seen = [r for r in rows if r["set"] == "labels" and r["record"] < n]
        if len(set(r["label"] for r in seen)) < 2:
            out[str(n)] = None
            continue
        model = LogisticRegression(C=1.0 / (len(seen) * args.l2), max_iter=5000)
        model.fit(matrix([r["x"] for r in seen], dimension), [r["label"] for r in seen])
        predicted = model.predict(x_gold)
        out[str(n)] = float(np.mean([p == r["label"] for p, r in zip(predicted, gold)]))
    json.dump(out, sys.stdout)
    print()


def check_digits(path):
    from sklearn.datasets import load_digits
    digits = load_digits()
    rows = [line.split() for line in open(path, encoding="utf-8") if line.strip() and not line.startswith("#")]
    assert len(rows) == len(digits.target), (len(rows), len(digits.target))
    for k, (pixels, digit) in enumerate(rows):
        assert [int(c, 17) for c in pixels] == [int(v) for v in digits.data[k]], f"scan {k}: pixels differ"
        assert int(digit) == int(digits.target[k]), f"scan {k}: digit differs"
    print(f"{path}: the {len(rows)} scans of load_digits, pixel for pixel")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--features")
    p.add_argument("--labels")
    p.add_argument("--gold")
    p.add_argument("--control")
    p.add_argument("--curve")
    p.add_argument("--l2", type=float, help="the online model's L2 penalty (model.json's settings.l2)")
    p.add_argument("--region-features")
    p.add_argument("--check-digits")
    args = p.parse_args()
    if args.check_digits:
        check_digits(args.check_digits)
    elif args.region_features:
        region_curve(args)
    else:
        curve(args)


if __name__ == "__main__":
    main()
