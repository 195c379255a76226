"""Times the reference Python libraries on the same synthetic data as Concord's criterion benchmarks.

    pip install krippendorff statsmodels scikit-learn crowd-kit
    python3 bench_reference.py crowd.csv pairs.csv      # written by `cargo xtask synth`

crowd.csv: long format (item, annotator, label); pairs.csv: two annotators on every item (for Cohen's kappa).
Prints one JSON object: measure -> seconds for the library call alone (inputs are built first, as the criterion
benchmarks time the measure on already parsed records). A library that is not installed is left out.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def timed(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


crowd, pairs = sys.argv[1], sys.argv[2]
df = pd.read_csv(crowd, dtype=str)
out = {}

try:
    import krippendorff

    items = df["item"].astype("category")
    people = df["annotator"].astype("category")
    labels = df["label"].astype("category").cat.codes.astype(float)
    matrix = np.full((len(people.cat.categories), len(items.cat.categories)), np.nan)
    matrix[people.cat.codes.values, items.cat.codes.values] = labels.values
    out["krippendorff_nominal"] = timed(lambda: krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
except ImportError:
    pass

try:
    from statsmodels.stats.inter_rater import fleiss_kappa

    counts = pd.crosstab(df["item"], df["label"]).values
    out["fleiss"] = timed(lambda: fleiss_kappa(counts))
except ImportError:
    pass

try:
    from sklearn.metrics import cohen_kappa_score

    p = pd.read_csv(pairs, dtype=str).pivot(index="item", columns="annotator", values="label").dropna()
    a, b = p.iloc[:, 0].values, p.iloc[:, 1].values
    out["cohen"] = timed(lambda: cohen_kappa_score(a, b))
except ImportError:
    pass

try:
    from crowdkit.aggregation import DawidSkene, MajorityVote

    ck = df.rename(columns={"item": "task", "annotator": "worker"})
    out["majority_vote"] = timed(lambda: MajorityVote().fit_predict(ck))
    out["dawid_skene_50"] = timed(lambda: DawidSkene(n_iter=50, tol=float("-inf")).fit_predict(ck))
except ImportError:
    pass

print(json.dumps(out))
