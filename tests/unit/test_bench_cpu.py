"""The benchmarks' CPU accounting: a process tree's seconds from /proc, and the cost per record."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from devstack.bench.cpu import ProcessGroups, children_of, cpu_per_record, tree_seconds

BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\n"


def test_a_tree_counts_its_live_children_and_those_it_has_reaped() -> None:
    before = tree_seconds(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", BUSY + "time.sleep(30)"])
    try:
        deadline = time.monotonic() + 20
        while tree_seconds(os.getpid()) - before < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert child.pid in children_of(os.getpid())
        live = tree_seconds(os.getpid()) - before
    finally:
        child.kill()
        child.wait()
    reaped = tree_seconds(os.getpid()) - before
    assert child.pid not in children_of(os.getpid())
    assert live >= 0.3
    assert reaped >= live


def test_groups_are_sampled_by_their_roots_now() -> None:
    groups = ProcessGroups({"me": lambda: [os.getpid()], "nobody": lambda: []})
    sample = groups.sample()
    assert sample["nobody"] == 0
    assert sample["me"] > 0


def test_cpu_per_record_adds_every_group_and_sets_the_budget_of_the_cores() -> None:
    [figure] = cpu_per_record({"usage": 1.0, "postgres": 2.0}, {"usage": 2.5, "postgres": 4.0},
                              100_000, "capture to rated", 50_000)
    assert figure.value == (1.5 + 2.0) / 100_000 * 1e6
    assert figure.target == (os.cpu_count() or 1) * 1e6 / 50_000
    assert not figure.higher_is_better
