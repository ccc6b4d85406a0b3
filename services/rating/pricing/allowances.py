"""Allowances: quantities included in a bill cycle, and the cycle state that tracks their use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Allowance:
    """A quantity of one service, in its base unit, included per bill cycle; optionally only to prefixes."""

    name: str
    service_type: str
    quantity: Decimal
    prefixes: tuple[str, ...] = ()

    def applies_to(self, service_type: str, digits: str) -> bool:
        """True when a record of this service to these destination digits may draw on the allowance."""
        if service_type != self.service_type:
            return False
        return not self.prefixes or any(digits.startswith(prefix) for prefix in self.prefixes)


@dataclass(frozen=True, slots=True)
class CycleState:
    """An account's bill cycle so far: allowance used by name, charged quantity by service type.

    Both are sorted (name, quantity) pairs in base units, so equal states compare equal whatever
    the order they were built in. A name or service type not listed has used or charged nothing.
    """

    allowances_used: tuple[tuple[str, Decimal], ...] = ()
    charged_totals: tuple[tuple[str, Decimal], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowances_used", tuple(sorted(dict(self.allowances_used).items())))
        object.__setattr__(self, "charged_totals", tuple(sorted(dict(self.charged_totals).items())))

    @classmethod
    def of(cls, used: Mapping[str, Decimal] | None = None,
           totals: Mapping[str, Decimal] | None = None) -> CycleState:
        """A state from allowance use by name and charged totals by service type."""
        return cls(tuple((used or {}).items()), tuple((totals or {}).items()))

    def used(self, allowance: str) -> Decimal:
        """How much of an allowance the cycle has used."""
        return dict(self.allowances_used).get(allowance, Decimal(0))

    def remaining(self, allowance: Allowance) -> Decimal:
        """How much of an allowance is left this cycle (never below zero)."""
        return max(Decimal(0), allowance.quantity - self.used(allowance.name))

    def total(self, service_type: str) -> Decimal:
        """The quantity of a service charged (not included) so far this cycle, after increments."""
        return dict(self.charged_totals).get(service_type, Decimal(0))

    def using(self, allowance: str, quantity: Decimal) -> CycleState:
        """A new state with more of an allowance used."""
        return self._sorted(added(self.allowances_used, allowance, quantity), self.charged_totals)

    def charging(self, service_type: str, quantity: Decimal) -> CycleState:
        """A new state with more of a service charged."""
        return self._sorted(self.allowances_used, added(self.charged_totals, service_type, quantity))

    @classmethod
    def _sorted(cls, used: tuple[tuple[str, Decimal], ...], totals: tuple[tuple[str, Decimal], ...]
                ) -> CycleState:
        """A state from pairs already sorted by name, without sorting them again."""
        state = object.__new__(cls)
        object.__setattr__(state, "allowances_used", used)
        object.__setattr__(state, "charged_totals", totals)
        return state


FRESH_CYCLE = CycleState()
"""A bill cycle nothing has used or been charged in yet."""


def added(pairs: tuple[tuple[str, Decimal], ...], name: str, quantity: Decimal
          ) -> tuple[tuple[str, Decimal], ...]:
    """Sorted (name, quantity) pairs with quantity added to name's (a new pair if name is absent)."""
    for index, (each, before) in enumerate(pairs):
        if each == name:
            return (*pairs[:index], (name, before + quantity), *pairs[index + 1:])
    return tuple(sorted((*pairs, (name, Decimal(0) + quantity))))


@dataclass(frozen=True, slots=True)
class Draw:
    """The part of a record an allowance covers."""

    allowance: str
    quantity: Decimal


def draw(
    allowances: tuple[Allowance, ...], state: CycleState, service_type: str, digits: str, quantity: Decimal,
) -> tuple[list[Draw], Decimal, CycleState]:
    """Cover a record's quantity from the allowances that apply, in the tariff's order.

    Returns the covered parts, the remainder to charge, and the state with the allowances used.
    """
    draws = []
    left = quantity
    for allowance in allowances:
        if left <= 0:
            break
        if not allowance.applies_to(service_type, digits):
            continue
        taken = min(left, state.remaining(allowance))
        if taken > 0:
            draws.append(Draw(allowance.name, taken))
            state = state.using(allowance.name, taken)
            left -= taken
    return draws, left, state
