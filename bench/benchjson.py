"""Figures from Google Benchmark JSON output of idemcheck_bench.

Rows are named "<operation>/<subject>/<n>" (bench/suite.h): the subject is a store or "floor".
Timings are CPU time in nanoseconds per operation, one sample per repetition; a ratio pairs the
store's and the floor's repetitions of the same operation and size from the same run.
"""

import json
import statistics

FOOTPRINT = "memory_footprint"
BASELINE_SCHEMA = 1

_NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Figures:
    """One run: per (operation, subject, n), the CPU ns of each repetition and the counters."""

    def __init__(self, context):
        self.context = context
        self.times = {}  # (op, subject, n) -> [ns per repetition, in repetition order]
        self.counters = {}  # (op, subject, n) -> {counter: value}
        self.errors = []  # "name: message" of rows that reported an error
        self.order = []  # operations in the order they ran


def split_name(name):
    """(operation, subject, n) of a row name; subjects may contain '/' (e.g. "impl/concurrent")
    and Google Benchmark may append "/iterations:1/repeats:1"."""
    parts = name.split("/")
    for k in range(2, len(parts)):
        if parts[k].isdigit():
            return parts[0], "/".join(parts[1:k]), int(parts[k])
    return None


def parse(data):
    figures = Figures({k: v for k, v in data.get("context", {}).items()
                       if k in ("date", "host_name", "num_cpus", "mhz_per_cpu", "caches",
                                "library_build_type")})
    for row in data.get("benchmarks", []):
        if row.get("run_type") == "aggregate":
            continue
        if row.get("error_occurred"):
            figures.errors.append(f"{row['name']}: {row.get('error_message', '')}")
            continue
        key = split_name(row["name"])
        if key is None:
            continue
        op = key[0]
        if op not in figures.order:
            figures.order.append(op)
        counters = {k: float(v) for k, v in row.items() if k.startswith("bytes_per_")}
        if counters:
            figures.counters[key] = counters
        else:
            ns = float(row["cpu_time"]) * _NS_PER_UNIT[row.get("time_unit", "ns")]
            figures.times.setdefault(key, []).append(ns)
    return figures


def load(path):
    with open(path) as f:
        return parse(json.load(f))


def load_baseline(path):
    with open(path) as f:
        baseline = json.load(f)
    if baseline.get("schema") != BASELINE_SCHEMA:
        raise ValueError(f"{path}: baseline schema {baseline.get('schema')!r}, "
                         f"expected {BASELINE_SCHEMA}")
    return baseline


def timed_operations(figures):
    return [op for op in figures.order if op != FOOTPRINT]


def sizes(figures, subject):
    return sorted({n for (_, s, n) in figures.times if s == subject})


def median_ns(figures, op, subject, n):
    samples = figures.times.get((op, subject, n))
    return statistics.median(samples) if samples else None


def ratio(figures, op, store, n):
    """store/floor for one operation and size, or None when either is missing."""
    ours = figures.times.get((op, store, n))
    floor = figures.times.get((op, "floor", n))
    if not ours or not floor:
        return None
    return {
        "median": statistics.median(ours) / statistics.median(floor),
        "samples": [a / b for a, b in zip(ours, floor)],
        "store_ns": statistics.median(ours),
        "floor_ns": statistics.median(floor),
    }


def relative_growth(figures, op, store, small, large):
    """(store at large / store at small) / (floor at large / floor at small): 1 is the floor's."""
    a, b = ratio(figures, op, store, small), ratio(figures, op, store, large)
    if a is None or b is None:
        return None
    return b["median"] / a["median"]


def counters(figures, op, subject, n):
    return figures.counters.get((op, subject, n), {})
