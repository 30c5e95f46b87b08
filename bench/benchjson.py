"""Figures from Google Benchmark JSON output of idemcheck_bench.

Rows are named "<operation>/<store>/<n>" (bench/suite.h). Each repetition of a timed row is one
paired measurement: its time is the store's ns per operation and its counters are the floor's
ns per operation (`floor_ns`) and the ratio of the two (`ratio`), measured in alternating
slices. "memory_footprint/<store or floor>/<n>" rows carry heap counters.
"""

import json
import statistics

FOOTPRINT = "memory_footprint"
BASELINE_SCHEMA = 1

_NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Figures:
    """One run: per (operation, subject, n), the measurements of each repetition."""

    def __init__(self, context):
        self.context = context
        # (op, store, n) -> [{"ns": ..., "floor_ns": ..., "ratio": ...} per repetition]
        self.timed = {}
        self.counters = {}  # (op, subject, n) -> {counter: value} of footprint rows
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
        if "ratio" in row:
            figures.timed.setdefault(key, []).append({
                "ns": float(row["real_time"]) * _NS_PER_UNIT[row.get("time_unit", "ns")],
                "floor_ns": float(row["floor_ns"]),
                "ratio": float(row["ratio"]),
            })
        else:
            counters = {k: float(v) for k, v in row.items() if k.startswith("bytes_per_")}
            if counters:
                figures.counters[key] = counters
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


def sizes(figures, store):
    return sorted({n for (_, s, n) in figures.timed if s == store})


def _median_of(figures, op, store, n, field):
    samples = figures.timed.get((op, store, n))
    return statistics.median(x[field] for x in samples) if samples else None


def median_ns(figures, op, store, n):
    """The store's ns per operation."""
    return _median_of(figures, op, store, n, "ns")


def floor_ns(figures, op, store, n):
    """The floor's ns per operation, as measured alongside `store`."""
    return _median_of(figures, op, store, n, "floor_ns")


def ratio(figures, op, store, n):
    """store/floor for one operation and size, or None when the run has no such row."""
    samples = figures.timed.get((op, store, n))
    if not samples:
        return None
    ratios = [x["ratio"] for x in samples]
    return {
        "median": statistics.median(ratios),
        "samples": ratios,
        "store_ns": median_ns(figures, op, store, n),
        "floor_ns": floor_ns(figures, op, store, n),
    }


def relative_growth(figures, op, store, small, large):
    """(store at large / store at small) / (floor at large / floor at small): 1 is the floor's."""
    a, b = ratio(figures, op, store, small), ratio(figures, op, store, large)
    if a is None or b is None:
        return None
    return b["median"] / a["median"]


def counters(figures, op, subject, n):
    return figures.counters.get((op, subject, n), {})
