"""Reference values for Concord's COCOeval: pycocotools' own numbers on generated cases.

Run: pip install pycocotools numpy && python3 make_cocoeval_cases.py > cocoeval_cases.json
The Rust test (tests/cocoeval.rs) reads the JSON; it never needs Python.
"""
import contextlib
import io
import json
import random

import pycocotools
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def make_case(seed, images, categories, per_image, crowd_rate, det_rate, fp_per_image, score_digits):
    rng = random.Random(seed)
    gt = {"images": [], "annotations": [], "categories": [{"id": c + 1, "name": f"cat{c + 1}"} for c in range(categories)]}
    dets = []
    ann_id = 1
    for i in range(images):
        img_id = 100 + 7 * i  # sparse, unordered ids exercise the id mapping
        gt["images"].append({"id": img_id, "file_name": f"{img_id}.jpg", "width": 640, "height": 480})
        for _ in range(rng.randint(0, per_image)):
            # Sizes across the small (< 32²), medium and large (> 96²) ranges.
            side = rng.choice([rng.uniform(4, 30), rng.uniform(33, 95), rng.uniform(100, 300)])
            w, h = side * rng.uniform(0.6, 1.4), side * rng.uniform(0.6, 1.4)
            x, y = rng.uniform(0, 640 - min(w, 600)), rng.uniform(0, 480 - min(h, 440))
            cat = rng.randint(1, max(1, categories - 1))  # the last category has no ground truth
            crowd = 1 if rng.random() < crowd_rate else 0
            area = w * h * rng.uniform(0.5, 1.0)  # a segmentation area, smaller than the box
            gt["annotations"].append({"id": ann_id, "image_id": img_id, "category_id": cat, "bbox": [x, y, w, h],
                                      "area": area, "iscrowd": crowd})
            ann_id += 1
            if rng.random() < det_rate:
                j = lambda v, s: v + rng.gauss(0, s)
                dets.append({"image_id": img_id, "category_id": cat if rng.random() < 0.9 else rng.randint(1, categories),
                             "bbox": [j(x, w * 0.08), j(y, h * 0.08), max(1.0, j(w, w * 0.1)), max(1.0, j(h, h * 0.1))],
                             "score": round(rng.random(), score_digits)})
        for _ in range(fp_per_image):
            w, h = rng.uniform(5, 200), rng.uniform(5, 200)
            dets.append({"image_id": img_id, "category_id": rng.randint(1, categories),
                         "bbox": [rng.uniform(0, 500), rng.uniform(0, 400), w, h], "score": round(rng.random(), score_digits)})
    return gt, dets


def evaluate(gt, dets):
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = json.loads(json.dumps(gt))
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(json.loads(json.dumps(dets))) if dets else COCO()
        e = COCOeval(coco_gt, coco_dt, "bbox")
        e.evaluate()
        e.accumulate()
        e.summarize()
    per_cat = {}
    for k, cat_id in enumerate(e.params.catIds):
        p = e.eval["precision"][:, :, k, 0, 2]
        per_cat[coco_gt.cats[cat_id]["name"]] = float(p[p > -1].mean()) if (p > -1).any() else -1.0
    return [float(s) for s in e.stats], per_cat


CASES = {
    "mixed": dict(seed=1, images=30, categories=4, per_image=8, crowd_rate=0.1, det_rate=0.85, fp_per_image=3, score_digits=2),
    "many_detections": dict(seed=2, images=4, categories=2, per_image=40, crowd_rate=0.0, det_rate=1.0, fp_per_image=120, score_digits=3),
    "ties_and_crowds": dict(seed=3, images=12, categories=3, per_image=6, crowd_rate=0.35, det_rate=0.7, fp_per_image=2, score_digits=1),
}

out = {"_meta": {"generator": "make_cocoeval_cases.py", "pycocotools": pycocotools.__version__ if hasattr(pycocotools, "__version__") else "2.0.x"}}
for name, spec in CASES.items():
    gt, dets = make_case(**spec)
    stats, per_cat = evaluate(gt, dets)
    out[name] = {"gt": gt, "dt": dets, "stats": stats, "per_category_ap": per_cat}
print(json.dumps(out))
