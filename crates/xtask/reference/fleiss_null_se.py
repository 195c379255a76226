"""Reference values for the standard error of Fleiss' kappa under the null (Fleiss, Nee & Landis 1979), computed here
apart from the engine, with the formula of R's irr::kappam.fleiss:

    pj <- colSums(ttab) / (ns * nr); qj <- 1 - pj
    varkappa <- (2 / (sum(pj * qj)^2 * (ns * nr * (nr - 1)))) * (sum(pj * qj)^2 - sum(pj * qj * (qj - pj)))

    python3 crates/xtask/reference/fleiss_null_se.py > tests/data/published/fleiss_null_se.json
"""
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "published"
FILES = ["fleiss_wikipedia_10x14.csv"]

out = {"formula": "irr::kappam.fleiss (Fleiss, Nee & Landis 1979)", "files": {}}
for name in FILES:
    by_item = defaultdict(list)
    for row in csv.DictReader(open(DATA / name, newline="")):
        by_item[row["item"]].append(row["label"])
    ns = len(by_item)
    nr = len(next(iter(by_item.values())))
    assert all(len(v) == nr for v in by_item.values())
    counts = Counter(l for v in by_item.values() for l in v)
    pj = [c / (ns * nr) for c in counts.values()]
    pq = sum(p * (1 - p) for p in pj)
    p_bar = sum((sum(c * c for c in Counter(v).values()) - nr) / (nr * (nr - 1)) for v in by_item.values()) / ns
    pe = sum(p * p for p in pj)
    kappa = (p_bar - pe) / (1 - pe)
    var = (2 / (pq ** 2 * (ns * nr * (nr - 1)))) * (pq ** 2 - sum(p * (1 - p) * ((1 - p) - p) for p in pj))
    se = var ** 0.5
    out["files"][name] = {"kappa": kappa, "std_error_null": se, "z": kappa / se}
json.dump(out, sys.stdout, indent=2, sort_keys=True)
print()
