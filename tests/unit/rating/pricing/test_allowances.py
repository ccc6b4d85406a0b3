"""Allowances: drawn in event order; a record straddling the end splits into included and charged parts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kernel.money import Money
from services.rating.pricing import Allowance, CycleState, DataTariff, price
from services.rating.pricing.increments import billed_seconds
from tests.unit.rating.pricing.tariffs import LONDON, TUESDAY_PEAK, amount, priced, tariff, usage

D = Decimal
NATIONAL = Allowance("national-minutes", "voice", D(300 * 60), ("44",))
DATA = Allowance("data-10gb", "data", D(10 * 10**9))
TEXTS = Allowance("sms-100", "sms", D(100))
BUNDLE = tariff(allowances=(NATIONAL, DATA, TEXTS),
                data=DataTariff("gigabyte", per_unit=D("5"), session_rounding_bytes=10**6))


def test_a_call_straddling_the_end_of_an_allowance_is_split() -> None:
    state = CycleState.of(used={"national-minutes": D(300 * 60 - 100)})
    result, after = price(usage("voice", 192, "+442079460001"), BUNDLE, LONDON, state)
    assert isinstance(result, list)
    included, charged = result
    assert (included.part, included.quantity, included.billed_quantity) == (0, 100, 100)
    assert (included.amount, included.allowance) == (amount("0"), "national-minutes")
    assert (charged.part, charged.quantity, charged.billed_quantity, charged.allowance) == (1, 92, 120, None)
    assert charged.amount == amount("0.10")  # 120 s at 0.05/min, no second connect fee, no minimum
    assert included.explanation == ("call to 44 20 (United Kingdom London), 192 s: 100 s included in "
                                    "allowance national-minutes")
    assert charged.explanation == ("call to 44 20 (United Kingdom London), 92 s beyond the allowance "
                                   "billed 60/60 as 120 s at 0.05 GBP/min peak, no connect fee = 0.10 GBP")
    assert after.remaining(NATIONAL) == 0
    assert after.used("national-minutes") == 300 * 60
    assert after.total("voice") == 120
    assert state.used("national-minutes") == 300 * 60 - 100  # the state given is left as it was


def test_a_covered_call_is_included_whole_and_the_filter_keeps_other_destinations_out() -> None:
    [covered] = priced(usage("voice", 192, "+442079460001"), BUNDLE)
    assert (covered.quantity, covered.amount, covered.allowance, covered.band) == (
        192, amount("0"), "national-minutes", "peak")
    [abroad] = priced(usage("voice", 192, "+33140000000"), BUNDLE)
    assert (abroad.allowance, abroad.amount) == (None, amount("0.288"))


def test_the_charged_remainder_of_a_30_6_call_gets_the_increments_on_its_own() -> None:
    state = CycleState.of(used={"national-minutes": D(300 * 60 - 20)})
    included, charged = priced(usage("voice", 27, "+447700900123"), BUNDLE, state)
    assert (included.quantity, charged.quantity, charged.billed_quantity) == (20, 7, 30)
    assert charged.amount == amount("0.05")


def test_data_sessions_draw_raw_bytes_and_the_remainder_is_rounded() -> None:
    state = CycleState.of(used={"data-10gb": D(10 * 10**9 - 500)})
    included, charged = priced(usage("data", 1500), BUNDLE, state)
    assert (included.quantity, included.allowance) == (500, "data-10gb")
    assert (charged.quantity, charged.billed_quantity, charged.amount) == (1000, 10**6, amount("0.005"))


def test_sms_allowance_splits_a_multipart_message() -> None:
    state = CycleState.of(used={"sms-100": D(99)})
    included, charged = priced(usage("sms", 3, "+447700900123"), BUNDLE, state)
    assert (included.quantity, charged.quantity, charged.amount) == (1, 2, amount("0.06"))


def test_allowances_are_drawn_in_tariff_order_and_a_record_may_span_several() -> None:
    anytime = Allowance("anytime-minutes", "voice", D(60))
    version = tariff(allowances=(NATIONAL, anytime))
    state = CycleState.of(used={"national-minutes": D(300 * 60 - 30)})
    national, other, charged = priced(usage("voice", 100, "+442079460001"), version, state)
    assert [(part.allowance, part.quantity) for part in (national, other, charged)] == [
        ("national-minutes", 30), ("anytime-minutes", 60), (None, 10)]
    assert charged.billed_quantity == 60


def test_unrated_records_draw_nothing() -> None:
    result, after = price(usage("voice", 60, "+999123"), BUNDLE, LONDON, CycleState())
    assert not isinstance(result, list)
    assert after == CycleState()


def test_pre_rated_records_draw_nothing_and_add_no_totals() -> None:
    result, after = price(usage("voice", 60, "+442079460001", upstream_price=Money.of("0.30", "GBP")),
                          BUNDLE, LONDON, CycleState())
    assert isinstance(result, list)
    assert after == CycleState()


calls = st.lists(
    st.tuples(st.sampled_from(["+442079460001", "+447700900123", "+33140000000"]), st.integers(0, 900)),
    max_size=25,
)


@given(calls, st.integers(1, 3000), st.integers(0, 3000))
def test_allowance_splitting_matches_a_running_sum(
    records: list[tuple[str, int]], size: int, used: int,
) -> None:
    allowance = Allowance("national", "voice", D(size), ("44",))
    version = tariff(allowances=(allowance,))
    state = CycleState.of(used={"national": D(used)})
    running = D(used)
    charged_total = D(0)
    for index, (destination, seconds) in enumerate(records):
        record = usage("voice", seconds, destination, at=TUESDAY_PEAK + timedelta(minutes=index))
        result, state = price(record, version, LONDON, state)
        assert isinstance(result, list)
        national = destination.startswith("+44")
        expected = min(D(seconds), max(D(0), size - running)) if national else D(0)
        running += expected
        included = [part for part in result if part.allowance]
        charged = [part for part in result if not part.allowance]
        assert sum(part.quantity for part in included) == expected
        assert all(part.amount.amount == 0 for part in included)
        assert sum(part.quantity for part in result) == seconds
        assert [part.part for part in result] == list(range(len(result)))
        assert len(charged) == (0 if expected and expected == seconds else 1)
        for part in charged:
            rate = version.voice_tables["peak"].match(destination[1:])
            assert rate is not None
            assert part.billed_quantity == billed_seconds(part.quantity, rate[1].first_increment,
                                                          rate[1].next_increment)
            charged_total += part.billed_quantity
        assert state.used("national") == running
        assert state.used("national") - used <= max(0, size - used)
    assert state.total("voice") == charged_total
