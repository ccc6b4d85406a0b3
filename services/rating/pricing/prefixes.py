"""Destination prefixes: E.164 digits and the longest-prefix match a rate table is looked up by."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Generic, TypeVar

V = TypeVar("V")

MAX_DIGITS = 15
"""The longest E.164 number (ITU-T E.164), so the longest prefix a table may hold."""

ONE_DIGIT_COUNTRY_CODES = frozenset({"1", "7"})
TWO_DIGIT_COUNTRY_CODES = frozenset({
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
})
"""E.164 country codes of one and two digits; every other country code has three."""


def destination_digits(destination: str) -> str | None:
    """The digits of an E.164 destination with its leading '+' ignored; None when it is not E.164."""
    digits = destination[1:] if destination.startswith("+") else destination
    if not digits or len(digits) > MAX_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def is_prefix(text: str) -> bool:
    """True for a prefix a table may hold: 1 to 15 ASCII digits."""
    return 0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()


def spaced(prefix: str) -> str:
    """A prefix with its country code set apart, as people read it: '4420' is '44 20'."""
    if prefix[:1] in ONE_DIGIT_COUNTRY_CODES:
        size = 1
    elif prefix[:2] in TWO_DIGIT_COUNTRY_CODES:
        size = 2
    else:
        size = 3
    return prefix if len(prefix) <= size else f"{prefix[:size]} {prefix[size:]}"


HEAD = 4
"""How many leading digits the first lookup of a match uses."""


class PrefixTable(Generic[V]):
    """A set of digit prefixes and their values, matched by the longest prefix of a number.

    Compiled once: one dict of the prefixes, and one keyed by a number's first HEAD digits giving
    the longest prefix of at most HEAD digits it starts with and the lengths of the longer
    prefixes starting with those digits, longest first. A match looks the head up, tries those
    lengths until one is in the table, else takes the short prefix: at most 1 + 11 lookups for
    E.164's 15 digits (plus one to read the value found).
    """

    __slots__ = ("_by_prefix", "_head", "_heads")

    def __init__(self, entries: Iterable[tuple[str, V]]) -> None:
        by_prefix: dict[str, V] = {}
        for prefix, value in entries:
            if not is_prefix(prefix):
                raise ValueError(f"prefix {prefix!r} is not 1 to {MAX_DIGITS} digits")
            if prefix in by_prefix:
                raise ValueError(f"prefix {prefix!r} appears twice")
            by_prefix[prefix] = value
        head = min(HEAD, max((len(prefix) for prefix in by_prefix), default=1))
        longer: dict[str, set[int]] = {}
        starts: set[str] = set()
        for prefix in by_prefix:
            if len(prefix) > head:
                longer.setdefault(prefix[:head], set()).add(len(prefix))
            else:
                starts.update(extensions(prefix, head))
        heads: dict[str, tuple[tuple[str, V] | None, tuple[int, ...]]] = {}
        for start in sorted(starts | longer.keys()):
            shortest = longest_in(by_prefix, start)
            heads[start] = shortest, tuple(sorted(longer.get(start, ()), reverse=True))
        self._by_prefix = by_prefix
        self._head = head
        self._heads = heads

    def __len__(self) -> int:
        return len(self._by_prefix)

    @property
    def lengths(self) -> tuple[int, ...]:
        """The distinct prefix lengths held, longest first."""
        return tuple(sorted({len(prefix) for prefix in self._by_prefix}, reverse=True))

    def probes(self, digits: str) -> int:
        """The most dict lookups a match of the digits makes before reading the value it found."""
        entry = self._heads.get(digits[: self._head])
        return 1 + (len(entry[1]) if entry else 0)

    def match(self, digits: str) -> tuple[str, V] | None:
        """The longest prefix of the digits in the table and its value, or None.

        A length beyond the digits probes the digits themselves: the longest match there can be.
        """
        entry = self._heads.get(digits[: self._head])
        if entry is None:
            return None
        shortest, lengths = entry
        by_prefix = self._by_prefix
        for length in lengths:
            prefix = digits[:length]
            if prefix in by_prefix:
                return prefix, by_prefix[prefix]
        return shortest


def extensions(prefix: str, size: int) -> Iterator[str]:
    """The prefix and every digit string up to size digits that starts with it."""
    level = [prefix]
    while level:
        yield from level
        level = [text + digit for text in level if len(text) < size for digit in "0123456789"]


def longest_in(by_prefix: Mapping[str, V], digits: str) -> tuple[str, V] | None:
    """The longest prefix of the digits among the table's prefixes, trying every length."""
    for length in range(len(digits), 0, -1):
        if digits[:length] in by_prefix:
            return digits[:length], by_prefix[digits[:length]]
    return None
