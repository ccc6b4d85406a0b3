"""The simulated PSP's rules: one charge per key, bounded refunds and chargebacks, 3-D Secure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from devstack.psp_simulator.ledger import CARDS, Ledger, PspError, parse_amount

BASE = "http://sim"


def charge(ledger: Ledger, card: str = "tok_visa", key: str = "k1", amount: str = "10.00") -> str:
    """Charge a test token; the charge id."""
    return ledger.create(key, CARDS[card], card, Decimal(amount), "EUR", {"payment_id": key}, "",
                         BASE).id


def test_a_replayed_key_is_the_same_charge_and_other_parameters_are_refused() -> None:
    ledger = Ledger()
    charge_id = charge(ledger)
    replayed = ledger.replay("k1", "tok_visa", Decimal("10.00"), "EUR")
    assert replayed is not None and replayed.id == charge_id
    with pytest.raises(PspError) as refused:
        ledger.replay("k1", "tok_visa", Decimal("11.00"), "EUR")
    assert refused.value.code == "idempotency_key_reused"
    assert ledger.replay("k2", "tok_visa", Decimal("10.00"), "EUR") is None


def test_declines_are_recorded_as_failed_with_the_decline_code() -> None:
    ledger = Ledger()
    failed = ledger.get(charge(ledger, "tok_insufficient_funds"))
    assert (failed.status, failed.failure_reason) == ("failed", "insufficient_funds")


def test_refunds_never_exceed_what_is_left_and_repeat_by_refund_id() -> None:
    ledger = Ledger()
    charge_id = charge(ledger)
    first = ledger.refund(charge_id, "r1", Decimal("4.00"), "EUR")
    assert ledger.refund(charge_id, "r1", Decimal("4.00"), "EUR") is first
    ledger.refund(charge_id, "r2", Decimal("6.00"), "EUR")
    with pytest.raises(PspError) as refused:
        ledger.refund(charge_id, "r3", Decimal("0.01"), "EUR")
    assert refused.value.code == "amount_too_large"
    with pytest.raises(PspError) as reused:
        ledger.refund(charge_id, "r1", Decimal("5.00"), "EUR")
    assert reused.value.code == "idempotency_key_reused"
    with pytest.raises(PspError) as other_currency:
        ledger.refund(charge_id, "r4", Decimal("1.00"), "USD")
    assert other_currency.value.code == "currency_mismatch"


def test_a_failed_or_pending_charge_cannot_be_refunded() -> None:
    ledger = Ledger()
    for token in ("tok_decline", "tok_3ds"):
        with pytest.raises(PspError) as refused:
            ledger.refund(charge(ledger, token, key=token), "r1", Decimal("1.00"), "EUR")
        assert refused.value.code == "charge_not_refundable"


def test_3ds_charges_wait_for_the_customer_then_tell_by_webhook() -> None:
    ledger = Ledger()
    charge_id = charge(ledger, "tok_3ds")
    assert ledger.get(charge_id).action_url == f"{BASE}/3ds/{charge_id}"
    with pytest.raises(PspError):
        ledger.complete_3ds(charge_id, "maybe")
    event = ledger.complete_3ds(charge_id, "fail")
    assert event["type"] == "charge.failed"
    assert event["data"]["object"]["failure_reason"] == "authentication_failed"
    with pytest.raises(PspError) as again:
        ledger.complete_3ds(charge_id, "succeed")
    assert again.value.code == "charge_not_pending"
    with pytest.raises(PspError) as not_3ds:
        ledger.complete_3ds(charge(ledger, key="k9"), "succeed")
    assert not_3ds.value.code == "not_a_3ds_charge"


def test_chargebacks_take_at_most_what_is_left() -> None:
    ledger = Ledger()
    charge_id = charge(ledger)
    ledger.refund(charge_id, "r1", Decimal("3.00"), "EUR")
    event = ledger.chargeback(charge_id, "5.00")
    assert event["type"] == "charge.chargeback"
    assert event["data"]["chargeback"]["amount"] == "5.00"
    with pytest.raises(PspError):
        ledger.chargeback(charge_id, "2.01")
    assert ledger.chargeback(charge_id, None)["data"]["chargeback"]["amount"] == "2.00"


@pytest.mark.parametrize(("text", "currency"), [("ten", "EUR"), ("0", "EUR"), ("-1", "EUR"),
                                                ("1.001", "EUR"), ("1.5", "JPY"), ("NaN", "EUR")])
def test_amounts_that_cannot_be_charged_are_refused(text: str, currency: str) -> None:
    with pytest.raises(PspError) as refused:
        parse_amount(text, currency)
    assert refused.value.code == "invalid_amount"
