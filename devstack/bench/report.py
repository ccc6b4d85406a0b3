"""Benchmark figures printed beside their targets."""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """A measured figure, its target and whether higher is better."""

    name: str
    value: float
    unit: str
    target: float
    higher_is_better: bool = True

    @property
    def met(self) -> bool:
        """Whether the figure meets its target."""
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def line(self) -> str:
        """One line of the report."""
        comparison = ">=" if self.higher_is_better else "<="
        verdict = "met" if self.met else "NOT MET"
        return (f"{self.name:<58} {self.value:>14,.1f} {self.unit:<10} target {comparison} "
                f"{self.target:,.0f} {self.unit:<10} {verdict}")


def report(figures: list[Figure]) -> None:
    """Write the figures to stdout."""
    sys.stdout.write("\n".join(figure.line() for figure in figures) + "\n")
