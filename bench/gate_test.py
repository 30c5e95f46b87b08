#!/usr/bin/python3
"""Tests of bench/gate's judgement on synthetic Google Benchmark runs: what it must flag (a slower
store, more bytes per record, a figure that disappeared, a benchmark that failed) and what it must
let pass (the same figures with other noise, a machine that is slower across the board)."""

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import random
import sys
import tempfile
import unittest
from pathlib import Path

sys.dont_write_bytecode = True
BENCH = Path(__file__).resolve().parent


def _load_gate():
    loader = importlib.machinery.SourceFileLoader("gate", str(BENCH / "gate"))
    spec = importlib.util.spec_from_loader("gate", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


gate = _load_gate()
benchjson = gate.benchjson

OPS = ("memory_replay", "gallery_absent")
SIZES = (1_000, 1_000_000)
REPS = 9


def synthetic_run(seed, store_scale=None, floor_scale=1.0, bytes_scale=1.0, drop_op=None,
                  error_in=None, store="impl"):
    """A run with 5% jitter: floor 20 ns at 10^3 and 150 ns at 10^6, the store 2.5x the floor.
    store_scale maps (op, n) to a factor on the store's time only."""
    rng = random.Random(seed)
    rows = []
    for n in SIZES:
        for op in OPS:
            if op == drop_op:
                continue
            for i in range(REPS):
                floor_ns = (20.0 if n == 1_000 else 150.0) * floor_scale * rng.uniform(0.95, 1.05)
                store_ns = (floor_ns * 2.5 * (store_scale or {}).get((op, n), 1.0) *
                            rng.uniform(0.95, 1.05))
                row = {"name": f"{op}/{store}/{n}/iterations:1/manual_time",
                       "run_type": "iteration", "repetitions": REPS, "repetition_index": i,
                       "iterations": 1, "real_time": store_ns, "cpu_time": 1e8,
                       "time_unit": "ns", "floor_ns": floor_ns, "ratio": store_ns / floor_ns,
                       "rounds": 500, "slice": 200}
                if error_in == (op, store, n):
                    row = {"name": row["name"], "run_type": "iteration", "error_occurred": True,
                           "error_message": "expected Ok"}
                rows.append(row)
        rows.append({"name": f"memory_footprint/{store}/{n}/iterations:1/repeats:1",
                     "run_type": "iteration", "repetitions": 1, "repetition_index": 0,
                     "iterations": 1, "real_time": 0.0, "cpu_time": 0.0, "time_unit": "ns",
                     "bytes_per_record": 80.0 * bytes_scale, "bytes_per_memory": 230.0})
    return {"context": {"num_cpus": 2, "host_name": "test"}, "benchmarks": rows}


class GateTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="gate_test."))
        self.baseline = self.dir / "baseline.json"
        self.assertEqual(self.gate(synthetic_run(seed=1), "--update-baseline"), 0)

    def gate(self, run, *extra):
        path = self.dir / "run.json"
        path.write_text(json.dumps(run))
        argv = ["--from-json", str(path), "--baseline", str(self.baseline), "--out",
                str(self.dir / "out"), "--sizes", ",".join(map(str, SIZES)), *extra]
        if "--picture" in argv:
            argv.remove("--picture")
        else:
            argv.append("--no-picture")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                return gate.main(argv)
            except gate.GateError:
                return 2

    def verdicts(self):
        """(operation, size) -> verdict, and (operation, "all sizes") for the operation."""
        report = json.loads((self.dir / "out" / "gate.json").read_text())
        return {(r["op"], r.get("n", "all sizes")): r["verdict"] for r in report["rows"]}

    def test_same_figures_with_other_noise_pass(self):
        self.assertEqual(self.gate(synthetic_run(seed=2)), 0)
        self.assertEqual(set(self.verdicts().values()), {"ok"})

    def test_store_much_slower_at_one_size_is_a_regression(self):
        run = synthetic_run(seed=3, store_scale={("memory_replay", 1_000_000): 4.0})
        self.assertEqual(self.gate(run), 1)
        verdicts = self.verdicts()
        self.assertEqual(verdicts[("memory_replay", 1_000_000)], "REGRESSED")
        self.assertEqual(verdicts[("memory_replay", 1_000)], "ok")
        self.assertEqual(verdicts[("gallery_absent", 1_000_000)], "ok")
        self.assertEqual(verdicts[("gallery_absent", "all sizes")], "ok")

    def test_store_slower_at_every_size_is_a_regression(self):
        run = synthetic_run(seed=13, store_scale={("gallery_absent", 1_000): 1.6,
                                                  ("gallery_absent", 1_000_000): 1.6})
        self.assertEqual(self.gate(run), 1)
        verdicts = self.verdicts()
        self.assertEqual(verdicts[("gallery_absent", "all sizes")], "REGRESSED")
        self.assertEqual(verdicts[("gallery_absent", 1_000)], "ok")
        self.assertEqual(verdicts[("memory_replay", "all sizes")], "ok")

    def test_moderate_shift_at_one_size_is_tolerated(self):
        # What the cache of a busy machine does to a table that just fits in it.
        run = synthetic_run(seed=14, store_scale={("memory_replay", 1_000): 1.4})
        self.assertEqual(self.gate(run), 0)

    def test_slower_machine_is_not_a_regression(self):
        self.assertEqual(self.gate(synthetic_run(seed=4, floor_scale=2.0)), 0)

    def test_faster_store_passes(self):
        run = synthetic_run(seed=5, store_scale={("gallery_absent", 1_000): 0.5})
        self.assertEqual(self.gate(run), 0)
        self.assertEqual(self.verdicts()[("gallery_absent", "all sizes")], "faster")

    def test_more_bytes_per_record_is_a_regression(self):
        self.assertEqual(self.gate(synthetic_run(seed=6, bytes_scale=1.10)), 1)
        self.assertEqual(self.verdicts()[("bytes_per_record", 1_000)], "REGRESSED")

    def test_bytes_within_tolerance_pass(self):
        self.assertEqual(self.gate(synthetic_run(seed=7, bytes_scale=1.03)), 0)

    def test_missing_figure_fails(self):
        self.assertEqual(self.gate(synthetic_run(seed=8, drop_op="gallery_absent")), 1)
        self.assertEqual(self.verdicts()[("gallery_absent", 1_000)], "MISSING")

    def test_benchmark_error_stops_the_gate(self):
        run = synthetic_run(seed=9, error_in=("memory_replay", "impl", 1_000))
        self.assertEqual(self.gate(run), 2)

    def test_baseline_of_another_store_compares_nothing(self):
        run = synthetic_run(seed=10, store="mine", store_scale={("memory_replay", 1_000): 3.0})
        self.assertEqual(self.gate(run, "--store", "mine"), 0)
        self.assertEqual(set(self.verdicts().values()), {"new"})

    def test_missed_target_fails_only_when_enforced(self):
        # The synthetic store is 2.5x its floor (target: 3x) but keeps 80 bytes per record
        # (target: 96): every target is met, so make one miss.
        run = synthetic_run(seed=11, bytes_scale=1.3)
        self.gate(run, "--update-baseline")
        self.assertEqual(self.gate(run), 0)
        self.assertEqual(self.gate(run, "--enforce-targets"), 1)

    def test_picture_is_written(self):
        self.gate(synthetic_run(seed=12), "--picture")
        self.assertGreater((self.dir / "out" / "cost.svg").stat().st_size, 0)
        self.assertGreater((self.dir / "out" / "cost.png").stat().st_size, 0)


class JudgementTest(unittest.TestCase):
    def test_shift_of_a_few_repetitions_is_noise(self):
        baseline = {"median": 1.0, "samples": [1.0] * 5 + [3.0] * 4}
        current = [1.0] * 4 + [3.0] * 5
        verdict, p = gate.judge_ratio(baseline, 3.0, current, tolerance=0.25, alpha=0.05)
        self.assertEqual(verdict, "noise")
        self.assertGreater(p, 0.05)

    def test_consistent_shift_is_significant(self):
        baseline = {"median": 2.0, "samples": [1.9, 2.0, 2.1, 2.0, 1.95, 2.05, 2.0, 1.98, 2.02]}
        current = [x * 1.5 for x in baseline["samples"]]
        verdict, p = gate.judge_ratio(baseline, 3.0, current, tolerance=0.25, alpha=0.05)
        self.assertEqual(verdict, "REGRESSED")
        self.assertLess(p, 0.05)

    def test_without_repetitions_the_threshold_decides(self):
        verdict, p = gate.judge_ratio({"median": 2.0, "samples": [2.0]}, 2.6, [2.6], 0.25, 0.05)
        self.assertEqual((verdict, p), ("REGRESSED", None))


class NamesTest(unittest.TestCase):
    def test_store_names_may_contain_slashes(self):
        self.assertEqual(benchjson.split_name("memory_replay/impl/concurrent/1000"),
                         ("memory_replay", "impl/concurrent", 1000))

    def test_google_benchmark_suffixes_are_ignored(self):
        self.assertEqual(
            benchjson.split_name("memory_footprint/impl/1000000/iterations:1/repeats:1"),
            ("memory_footprint", "impl", 1_000_000))
        self.assertEqual(benchjson.split_name("gallery_absent/impl/1000/iterations:1/manual_time"),
                         ("gallery_absent", "impl", 1_000))

    def test_rows_without_a_size_are_not_ours(self):
        self.assertIsNone(benchjson.split_name("BM_Something/threads:2"))


if __name__ == "__main__":
    unittest.main()
