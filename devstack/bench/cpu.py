"""CPU time the processes under test spent (services, PostgreSQL, NATS), read from Linux's /proc:
what a throughput figure cost per record, and the ceiling that cost puts on the machine's cores."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from devstack.bench.report import Figure

log = logging.getLogger(__name__)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (field 3, the state, comes first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process, with those of the children it has waited for."""
    utime, stime, cutime, cstime = stat_fields(pid)[11:15]
    return (int(utime) + int(stime) + int(cutime) + int(cstime)) / CLOCK_TICKS


def children_of(pid: int) -> list[int]:
    """The live processes whose parent is pid."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(stat_fields(int(entry.name))[1]) == pid:
                    children.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                continue
    return children


def tree_seconds(pid: int) -> float:
    """CPU seconds of a process, its live children and the children it has reaped (a PostgreSQL
    server's backends come and go)."""
    total = cpu_seconds(pid)
    for child in children_of(pid):
        try:
            total += cpu_seconds(child)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


@dataclass(frozen=True)
class ProcessGroups:
    """The processes of a benchmark stack by group (a service, postgres, nats), each group's root
    process ids found when sampled (a server restarted for its settings has a new one)."""

    roots: Mapping[str, Callable[[], list[int]]]

    def sample(self) -> dict[str, float]:
        """CPU seconds spent so far by each group."""
        return {group: sum(tree_seconds(pid) for pid in pids()) for group, pids in self.roots.items()}


def cpu_per_record(before: Mapping[str, float], after: Mapping[str, float], records: int,
                   what: str, target_rate: float) -> list[Figure]:
    """Microseconds of CPU per record, all groups together, beside the budget the machine's cores
    allow at the target rate; each group's share is logged."""
    spent = {group: after[group] - before[group] for group in after}
    shares = ", ".join(f"{group} {seconds / records * 1e6:.1f}" for group, seconds in spent.items())
    per_record = sum(spent.values()) / records * 1e6
    cores = os.cpu_count() or 1
    log.info("%s: CPU per record %.1f us (%s); %d cores at that cost: at most %.0f records/s",
             what, per_record, shares, cores, cores * 1e6 / per_record)
    return [Figure(f"{what}: CPU per record, all processes", per_record, "us", cores * 1e6 / target_rate,
                   higher_is_better=False)]
