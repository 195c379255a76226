"""Reference values for Cohen's kappa's asymptotic standard error and 95 % interval, from statsmodels.

    python3 crates/xtask/reference/statsmodels_kappa.py > tests/data/published/statsmodels_kappa.json

For each two-annotator file of the published vectors: the contingency table over the labels present (in value
order when every label is a number, else by name; rows the first annotator, columns the second), then
statsmodels.stats.inter_rater.cohens_kappa unweighted and with wt='linear' and 'quadratic' (weights = the labels'
ranks, statsmodels' default). Kept with its output so that every clone checks the engine against it.
"""
import csv
import json
import sys
from pathlib import Path

import numpy as np
import statsmodels
from statsmodels.stats.inter_rater import cohens_kappa

FILES = [
    "cohen_wikipedia_yes_no_50.csv",
    "weighted_kappa_sas_3cat.csv",
    "kripp2011_a_binary_2coders.csv",
    "kripp2011_b_nominal_2coders.csv",
]
HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "tests" / "data" / "published"


def table_of(path):
    by_item = {}
    order = []
    for row in csv.DictReader(open(path, newline="")):
        if row["annotator"] not in order:
            order.append(row["annotator"])
        by_item.setdefault(row["item"], {})[row["annotator"]] = row["label"]
    a, b = order[:2]
    pairs = [(v[a], v[b]) for v in by_item.values() if a in v and b in v]
    labels = sorted({x for p in pairs for x in p})
    try:
        labels = sorted(labels, key=float)
    except ValueError:
        pass
    index = {l: i for i, l in enumerate(labels)}
    t = np.zeros((len(labels), len(labels)))
    for x, y in pairs:
        t[index[x], index[y]] += 1
    return t, labels


def result(r):
    return {
        "kappa": float(r.kappa),
        "std_kappa": float(r.std_kappa),
        "kappa_low": float(r.kappa_low),
        "kappa_upp": float(r.kappa_upp),
        "std_kappa0": float(r.std_kappa0),
    }


out = {"source": f"statsmodels {statsmodels.__version__}, stats.inter_rater.cohens_kappa", "files": {}}
for name in FILES:
    t, labels = table_of(DATA / name)
    out["files"][name] = {
        "labels": labels,
        "unweighted": result(cohens_kappa(t)),
        "linear": result(cohens_kappa(t, wt="linear")),
        "quadratic": result(cohens_kappa(t, wt="quadratic")),
    }
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()
