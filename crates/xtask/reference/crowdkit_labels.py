"""Dawid-Skene and majority vote by crowd-kit on a long-format CSV, for comparison with `concord aggregate`.

    pip install crowd-kit
    python3 crowdkit_labels.py data.csv ds 50 out.csv    # method, iterations (tol = -inf: exactly that many)

Writes item,label and prints the seconds the fit took (conversion from CSV included, as crowd-kit users pay it).
"""
import sys
import time

import pandas as pd
from crowdkit.aggregation import DawidSkene, MajorityVote

path, method, n_iter, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
df = pd.read_csv(path, dtype=str).rename(columns={"item": "task", "annotator": "worker"})
if method == "ds":
    labels = DawidSkene(n_iter=n_iter, tol=float("-inf")).fit_predict(df)
else:
    labels = MajorityVote().fit_predict(df)
elapsed = time.perf_counter() - start
labels.rename("label").rename_axis("item").to_csv(out)
print(f"{method} {elapsed:.2f} s")
