#!/usr/bin/python3
"""The cost picture: time per operation against stored records, log-log, one panel per operation,
with the gated store, the reference and the floor (a bare hash map find of the same keys).

    bench/plot_cost.py out/bench/impl.json [out/bench/reference.json] [--out out/bench/cost]

writes <out>.svg and <out>.png. bench/gate calls it after every run.
"""

import argparse
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchjson  # noqa: E402

STYLES = {
    "reference": {"color": "#c0392b", "marker": "s"},
    "floor": {"color": "#7f8c8d", "marker": "o", "linestyle": "--"},
}
STORE_STYLE = {"color": "#2471a3", "marker": "D"}


def _series(figures, op, store, measure):
    points = [(n, measure(figures, op, store, n)) for n in benchjson.sizes(figures, store)]
    return [(n, ns) for n, ns in points if ns is not None]


def write(figures, reference, store, stem):
    """Draws every timed operation of `figures` (and `reference`, if given) to stem.svg/.png."""
    ops = benchjson.timed_operations(figures)
    columns = 4
    rows = max(1, math.ceil(len(ops) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.4 * rows), sharex=True,
                             sharey=True, squeeze=False)
    for index, ax in enumerate(axes.flat):
        if index >= len(ops):
            ax.set_visible(False)
            continue
        op = ops[index]
        # The floor as measured alongside the gated store: the reference's slices are too few
        # operations long to time a bare find well.
        lines = [(store, _series(figures, op, store, benchjson.median_ns), STORE_STYLE),
                 ("floor", _series(figures, op, store, benchjson.floor_ns), STYLES["floor"])]
        if reference is not None:
            lines.insert(0, ("reference",
                             _series(reference, op, "reference", benchjson.median_ns),
                             STYLES["reference"]))
        for label, points, style in lines:
            if points:
                ax.plot([n for n, _ in points], [ns for _, ns in points], label=label, **style)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(op, fontsize=10)
        ax.grid(True, which="major", alpha=0.3)
        if index % columns == 0:
            ax.set_ylabel("ns per operation")
        if index >= len(ops) - columns:
            ax.set_xlabel("stored records")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper right", ncol=len(labels))
    fig.suptitle("idemcheck: cost per operation against stored records (medians, log-log)",
                 x=0.01, ha="left")
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(stem.with_suffix(".svg"))
    fig.savefig(stem.with_suffix(".png"), dpi=110)
    plt.close(fig)
    return stem


def main(argv):
    parser = argparse.ArgumentParser(prog="bench/plot_cost.py", description=__doc__)
    parser.add_argument("store_json", type=Path)
    parser.add_argument("reference_json", type=Path, nargs="?")
    parser.add_argument("--store", default="impl")
    parser.add_argument("--out", type=Path, default=Path("out/bench/cost"))
    args = parser.parse_args(argv)
    reference = benchjson.load(args.reference_json) if args.reference_json else None
    stem = write(benchjson.load(args.store_json), reference, args.store, args.out)
    print(f"{stem}.svg {stem}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
