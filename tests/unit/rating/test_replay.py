"""Replaying a cycle as rating priced it: late records, re-ratings, and per-group re-derived amounts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from typing import Any

from services.rating.billing_reads import BillingGroup, GroupKey
from services.rating.cycles import ADJUSTMENT_PART, histories_of
from services.rating.domain import RatedPart, RecordToRate
from services.rating.pricing import Allowance, CycleState
from services.rating.rederiving import compare, rederived_amounts
from services.rating.replay import Rerated, change_between, replay_cycle
from services.rating.selections import UsageSelection
from services.rating.tariffed import price_all
from tests.unit.rating.pricing.tariffs import ACCOUNT, PLAN, tariff
from tests.unit.rating.test_tariffed import TUESDAY_NOON, call, contexts

V1 = tariff(allowances=(Allowance("national", "voice", Decimal(600), ("44",)),))
DAY = TUESDAY_NOON.date()
CYCLE = (ACCOUNT, DAY.replace(day=1))
NOV, DEC = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)
LONDON = "United Kingdom London"


def row(part: RatedPart, seq: int) -> dict[str, Any]:
    """A rated part as stored."""
    record = part.record
    return {"source": record.source, "record_id": record.record_id, "account_id": record.account_id,
            "service_type": record.service_type, "unit": record.unit, "started_at": record.started_at,
            "destination": record.destination, "duration": None, "upstream_amount": None,
            "upstream_currency": None, "part": part.part, "quantity": part.quantity,
            "amount": part.amount.amount, "currency": part.amount.currency, "seq": seq,
            "rate_plan_id": part.rate_plan_id, "tariff_version": part.tariff_version,
            "destination_class": part.destination_class}


class Rating:
    """Batches rated one after another against the cycle state, their parts numbered as stored."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.state = CycleState()
        self.seqs: Iterator[int] = count(1)

    def batch(self, *records: RecordToRate) -> None:
        pricing = price_all(list(records), contexts(), {(PLAN, DAY): V1}, {CYCLE: self.state})
        self.state = pricing.states[CYCLE]
        self.rows += [row(part, next(self.seqs)) for part in pricing.rated]


def totals(rows: list[dict[str, Any]]) -> dict[str, Decimal]:
    result: dict[str, Decimal] = {}
    for each in rows:
        result[each["record_id"]] = result.get(each["record_id"], Decimal(0)) + each["amount"]
    return result


def late_arrival() -> Rating:
    """c1 and c3 take the whole allowance; c2, between them, arrives afterwards and is charged."""
    rating = Rating()
    rating.batch(call("c1", 300), call("c3", 300, TUESDAY_NOON + timedelta(minutes=20)))
    rating.batch(call("c2", 300, TUESDAY_NOON + timedelta(minutes=10)))
    return rating


def test_records_priced_in_arrival_order_are_re_derived_as_rated() -> None:
    rating = late_arrival()
    changes = replay_cycle(histories_of(rating.rows), [], contexts()[ACCOUNT], {(PLAN, 1): V1})
    rederived = {key[1]: change_between(c, 0, 10**9) for key, c in changes.items()}
    assert rederived == totals(rating.rows) == {
        "c1": Decimal(0), "c2": Decimal("0.260000"), "c3": Decimal(0)}


def test_a_rerating_is_replayed_at_its_place_with_its_versions() -> None:
    rating = late_arrival()
    adjustments = [
        {**rating.rows[2], "part": ADJUSTMENT_PART, "amount": Decimal("-0.260000"), "seq": 5},
        {**rating.rows[1], "part": ADJUSTMENT_PART, "amount": Decimal("0.260000"), "seq": 6},
    ]
    rerated = Rerated(4, 6, PLAN, {DAY: 1})
    histories = histories_of(rating.rows + adjustments)
    changes = replay_cycle(histories, [rerated], contexts()[ACCOUNT], {(PLAN, 1): V1})
    assert changes[("pbx", "c2")] == [(3, Decimal("0.260000")), (4, Decimal("-0.260000"))]
    assert changes[("pbx", "c3")] == [(2, Decimal(0)), (4, Decimal("0.260000"))]
    assert {key[1]: change_between(c, 0, 6) for key, c in changes.items()} == totals(
        rating.rows + adjustments)
    assert change_between(changes[("pbx", "c3")], 3, 6) == Decimal("0.260000")


def test_an_unknown_recorded_version_re_derives_nothing() -> None:
    rating = late_arrival()
    changes = replay_cycle(histories_of(rating.rows), [], contexts()[ACCOUNT], {})
    assert all(change_between(c, 0, 10) == 0 for c in changes.values())


def test_groups_compare_what_is_stored_with_what_is_re_derived() -> None:
    rating = late_arrival()
    histories = histories_of(rating.rows)
    changes = replay_cycle(histories, [], contexts()[ACCOUNT], {(PLAN, 1): V1})
    december = UsageSelection(ACCOUNT, DEC, datetime(2027, 1, 1, tzinfo=UTC), 2, 3)
    amounts = rederived_amounts(december, histories, changes)
    key = GroupKey("prior", "voice", LONDON, "second", "GBP")
    assert amounts == {key: Decimal("0.260000")}
    stored = BillingGroup(ACCOUNT, key, Decimal(300), Decimal("0.26"), 1, "d", NOV, NOV)
    assert compare([stored], amounts).matches
    tampered = BillingGroup(ACCOUNT, key, Decimal(300), Decimal("0.27"), 1, "d", NOV, NOV)
    assert not compare([tampered], amounts).matches
    [missing] = compare([], amounts).groups
    assert (missing.stored, missing.stored_amount, missing.rederived) == (None, 0, Decimal("0.26"))
    assert rederived_amounts(UsageSelection(ACCOUNT, NOV, DEC, 0, 2), histories, changes) == {}
