"""Usage selections: which parts an invoice takes, and the selections a request may send."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from services.rating.selections import (
    CURRENT,
    PRIOR,
    InvalidSelectionError,
    UsageSelection,
    check_period_kind,
    check_selections,
)

NOV, DEC = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def november(previous: int = 10, watermark: int = 20) -> UsageSelection:
    return UsageSelection(uuid4(), NOV, DEC, previous, watermark)


def field_of(selections: list[UsageSelection]) -> str:
    with pytest.raises(InvalidSelectionError) as caught:
        check_selections(selections)
    return caught.value.field


def test_parts_of_the_period_are_current_and_earlier_ones_prior() -> None:
    chosen = november()
    assert chosen.kind_of(NOV) == CURRENT
    assert chosen.kind_of(DEC - timedelta(microseconds=1)) == CURRENT
    assert chosen.kind_of(NOV - timedelta(microseconds=1)) == PRIOR
    assert chosen.kind_of(DEC) is None


def test_current_parts_are_all_up_to_the_watermark_and_prior_ones_only_those_cut_since_the_last_invoice(
) -> None:
    chosen = november(previous=10, watermark=20)
    assert chosen.seqs(CURRENT) == (0, 20)
    assert chosen.seqs(PRIOR) == (10, 20)


def test_a_bad_selection_names_its_field() -> None:
    assert field_of([november(), UsageSelection(uuid4(), DEC, NOV, 0, 0)]) == "selections[1].period_end"
    assert field_of([november(previous=5, watermark=4)]) == "selections[0].watermark"
    assert field_of([november(previous=-1, watermark=4)]) == "selections[0].previous_watermark"
    assert november(previous=4, watermark=4).check("selection").watermark == 4


def test_an_account_is_selected_once_and_a_request_holds_at_most_a_thousand() -> None:
    twice = november()
    assert field_of([twice, november(), twice]) == "selections[2].account_id"
    assert field_of([november() for _ in range(1001)]) == "selections"
    check_selections([november() for _ in range(1000)])


def test_period_kinds_are_current_or_prior() -> None:
    assert check_period_kind(PRIOR) == PRIOR
    with pytest.raises(InvalidSelectionError):
        check_period_kind("late")
