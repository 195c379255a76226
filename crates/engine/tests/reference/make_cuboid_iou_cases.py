"""Reference values for Concord's 3D box overlap: Shapely's polygon intersection of the yaw-rotated footprints
(bird's-eye view), times the overlap of the height intervals (3D), on seeded random pairs of boxes.

Run: pip install shapely==2.2.0 && python3 make_cuboid_iou_cases.py > cuboid_iou_cases.json
The Rust test (tests/scene.rs) reads the JSON; it never needs Python.
"""
import json
import math
import random

import shapely
from shapely.geometry import Polygon


def footprint(c):
    (x, y, _), (l, w, _), yaw = c["center"], c["size"], c["yaw"]
    co, si = math.cos(yaw), math.sin(yaw)
    return Polygon([(x + dx * co - dy * si, y + dx * si + dy * co)
                    for dx, dy in [(l / 2, -w / 2), (l / 2, w / 2), (-l / 2, w / 2), (-l / 2, -w / 2)]])


def overlaps(a, b):
    fa, fb = footprint(a), footprint(b)
    inter = fa.intersection(fb).area
    bev = inter / (fa.area + fb.area - inter)
    za = (a["center"][2] - a["size"][2] / 2, a["center"][2] + a["size"][2] / 2)
    zb = (b["center"][2] - b["size"][2] / 2, b["center"][2] + b["size"][2] / 2)
    h = max(0.0, min(za[1], zb[1]) - max(za[0], zb[0]))
    va = a["size"][0] * a["size"][1] * a["size"][2]
    vb = b["size"][0] * b["size"][1] * b["size"][2]
    iou3d = inter * h / (va + vb - inter * h)
    return bev, iou3d


def box(rng, near=None):
    if near is None:
        center = [rng.uniform(-40, 40), rng.uniform(-40, 40), rng.uniform(-1, 1)]
    else:
        spread = rng.choice([0.05, 0.5, 2.0, 5.0])
        center = [near["center"][i] + rng.gauss(0, spread) for i in range(3)]
    size = [rng.uniform(0.3, 6.0), rng.uniform(0.3, 3.0), rng.uniform(0.5, 3.0)]
    return {"center": center, "size": size, "yaw": rng.uniform(-math.pi, math.pi)}


def main():
    rng = random.Random(2300)
    cases = []
    for k in range(800):
        a = box(rng)
        b = box(rng, near=a) if k % 10 else box(rng)
        if k % 97 == 0:
            b = dict(a)  # the same box
        elif k % 89 == 0:
            b = dict(a, yaw=a["yaw"] + math.pi)  # the same footprint, turned round
        elif k % 83 == 0:
            b = dict(a, size=[s / 2 for s in a["size"]])  # inside it
        bev, iou3d = overlaps(a, b)
        cases.append({"a": a, "b": b, "bev_iou": bev, "iou_3d": iou3d})
    print(json.dumps({"source": f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
                      "crates/engine/tests/reference/make_cuboid_iou_cases.py", "cases": cases}))


main()
