"""Longest-prefix match: the longest prefix of the digits in the table, at most one lookup per length."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.rating.pricing.prefixes import PrefixTable, destination_digits, spaced

TABLE = PrefixTable([
    ("44", "United Kingdom"), ("4420", "United Kingdom London"), ("447", "United Kingdom Mobile"),
    ("4479", "United Kingdom Mobile Other"), ("33", "France"), ("331", "France Paris"),
    ("336", "France Mobile"), ("1", "NANP"), ("1212", "New York"),
])


@pytest.mark.parametrize(("number", "prefix"), [
    ("442079460001", "4420"),
    ("441614960000", "44"),
    ("447700900123", "447"),
    ("447912345678", "4479"),
    ("33140000000", "331"),
    ("33612345678", "336"),
    ("33212345678", "33"),
    ("12125550100", "1212"),
    ("13105550100", "1"),
    ("4", None),
    ("49301234567", None),
])
def test_longest_prefix_wins(number: str, prefix: str | None) -> None:
    found = TABLE.match(number)
    assert (found[0] if found else None) == prefix


def test_numbers_shorter_than_the_head_still_match() -> None:
    table = PrefixTable([("447", "mobile"), ("44791", "other"), ("1", "nanp")])
    assert table.match("447") == ("447", "mobile")
    assert table.match("4479") == ("447", "mobile")
    assert table.match("44") is None
    assert table.match("1") == ("1", "nanp")
    assert table.match("12") == ("1", "nanp")
    assert PrefixTable([]).match("44") is None


def test_destination_digits_ignore_the_plus_and_refuse_non_e164() -> None:
    assert destination_digits("+442079460001") == "442079460001"
    assert destination_digits("442079460001") == "442079460001"
    assert destination_digits("") is None
    assert destination_digits("+") is None
    assert destination_digits("+44 20 7946") is None
    assert destination_digits("+4420794600011234") is None
    assert destination_digits("+٤٤") is None


def test_repeated_or_malformed_prefixes_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        PrefixTable([("44", 1), ("44", 2)])
    with pytest.raises(ValueError, match="digits"):
        PrefixTable([("+44", 1)])
    with pytest.raises(ValueError, match="digits"):
        PrefixTable([("1234567890123456", 1)])


def test_country_codes_are_set_apart_for_people() -> None:
    assert spaced("4420") == "44 20"
    assert spaced("44") == "44"
    assert spaced("331") == "33 1"
    assert spaced("1212") == "1 212"
    assert spaced("3531") == "353 1"


def test_fifty_thousand_prefixes_match_the_longest_known_prefix_in_at_most_12_lookups() -> None:
    chooser = random.Random(7)
    prefixes = {str(chooser.randrange(10 ** (size - 1), 10**size))
                for size in range(3, 10) for _ in range(9000)}
    table = PrefixTable((prefix, prefix) for prefix in prefixes)
    assert len(table) >= 50_000
    assert len(table.lengths) <= 15
    known = sorted(prefixes)
    for _ in range(5000):
        number = chooser.choice(known) + str(chooser.randrange(10**6))
        longest = max((number[:size] for size in range(1, 16) if number[:size] in prefixes), key=len)
        assert table.match(number) == (longest, longest)
        assert table.probes(number) <= 12
    assert table.match("0" * 12) is None


def reference_match(prefixes: set[str], digits: str) -> tuple[str, str] | None:
    """Scan every prefix and keep the longest that the digits start with."""
    best = None
    for prefix in prefixes:
        if digits.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    return (best, best) if best is not None else None


digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=6)


@given(st.sets(digit_strings, max_size=60), st.text(alphabet="0123456789", min_size=1, max_size=15))
def test_match_agrees_with_a_scan_of_every_prefix(prefixes: set[str], digits: str) -> None:
    table = PrefixTable((prefix, prefix) for prefix in sorted(prefixes))
    assert table.match(digits) == reference_match(prefixes, digits)


@given(st.sets(digit_strings, min_size=1, max_size=60), st.data())
def test_a_number_that_extends_a_prefix_matches_it_or_a_longer_one(
    prefixes: set[str], data: st.DataObject,
) -> None:
    prefix = data.draw(st.sampled_from(sorted(prefixes)))
    number = prefix + data.draw(st.text(alphabet="0123456789", max_size=15 - len(prefix)))
    found = PrefixTable((each, each) for each in prefixes).match(number)
    assert found is not None
    assert len(found[0]) >= len(prefix)
    assert number.startswith(found[0])
