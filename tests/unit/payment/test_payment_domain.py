"""The Payment aggregate and its rules, with no storage at all."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.eventstore import event_envelope
from kernel.ids import derived_id
from kernel.money import Money
from services.payment.domain.payments import (
    IdempotencyKeyReusedError,
    InvalidPaymentError,
    InvoiceDue,
    InvoiceNotPayableError,
    Payment,
)
from tests.unit.payment.payment_fakes import payment_request

TENANT = uuid4()


def finalized_invoice(amount_due: str = "100.00", currency: str = "EUR") -> InvoiceDue:
    """An invoice that takes payments."""
    return InvoiceDue(uuid4(), uuid4(), "finalized", Money.of(amount_due, currency))


def test_recorded_payment_succeeds_and_carries_the_invoice_and_account() -> None:
    invoice = finalized_invoice()
    payment = Payment.record(payment_request(TENANT, invoice.invoice_id), invoice)
    assert payment.status == "succeeded"
    assert payment.invoice_id == invoice.invoice_id
    assert payment.account_id == invoice.account_id
    assert payment.amount == Money(Decimal("25.00"), "EUR")
    assert payment.tenant_id == TENANT


def test_payment_id_is_derived_from_tenant_and_idempotency_key() -> None:
    invoice = finalized_invoice()
    request = payment_request(TENANT, invoice.invoice_id, idempotency_key="abc")
    payment = Payment.record(request, invoice)
    assert payment.id == derived_id(TENANT, "payment", "abc")


def test_payment_without_idempotency_key_gets_a_fresh_id() -> None:
    invoice = finalized_invoice()
    request = payment_request(TENANT, invoice.invoice_id, idempotency_key="")
    assert Payment.record(request, invoice).id != Payment.record(request, invoice).id


def test_recorded_event_envelope_is_what_the_invoice_service_reads() -> None:
    invoice = finalized_invoice()
    payment = Payment.record(payment_request(TENANT, invoice.invoice_id), invoice)
    envelope = event_envelope("payment", 7, payment.collect_events()[0])
    assert envelope["type"] == "Payment.Recorded"
    assert envelope["id"] == "payment:7"
    assert envelope["tenant_id"] == str(TENANT)
    assert envelope["aggregate_id"] == str(payment.id)
    assert envelope["data"] == {
        "invoice_id": str(invoice.invoice_id),
        "account_id": str(invoice.account_id),
        "amount": {"amount": "25.00", "currency": "EUR"},
        "method": "bank_transfer",
        "reference": "SEPA-1",
        "idempotency_key": "key-1",
    }


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00"])
def test_amount_must_be_positive(amount: str) -> None:
    invoice = finalized_invoice()
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(payment_request(TENANT, invoice.invoice_id, amount=amount), invoice)
    assert (caught.value.field, caught.value.reason) == ("amount.amount", "must_be_positive")


def test_fractions_of_a_minor_unit_are_refused() -> None:
    invoice = finalized_invoice()
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(payment_request(TENANT, invoice.invoice_id, amount="10.001"), invoice)
    assert (caught.value.field, caught.value.reason) == ("amount.amount", "too_many_decimal_places")


@pytest.mark.parametrize("method", ["", "card", "CASH", "crypto"])
def test_unknown_method_is_refused(method: str) -> None:
    invoice = finalized_invoice()
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(payment_request(TENANT, invoice.invoice_id, method=method), invoice)
    assert (caught.value.field, caught.value.reason) == ("method", "unknown_method")


@pytest.mark.parametrize("method", ["bank_transfer", "cash", "card_token"])
def test_each_known_method_is_accepted(method: str) -> None:
    invoice = finalized_invoice()
    payment = Payment.record(payment_request(TENANT, invoice.invoice_id, method=method), invoice)
    assert payment.method == method


def test_overlong_reference_is_refused() -> None:
    invoice = finalized_invoice()
    request = payment_request(TENANT, invoice.invoice_id, reference="r" * 201)
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(request, invoice)
    assert (caught.value.field, caught.value.reason) == ("reference", "too_long")


def test_payment_in_another_currency_than_the_invoice_is_refused() -> None:
    invoice = finalized_invoice(currency="EUR")
    request = payment_request(TENANT, invoice.invoice_id, currency="USD")
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(request, invoice)
    assert (caught.value.field, caught.value.reason) == ("amount.currency", "currency_mismatch")


def test_payment_above_the_amount_due_is_refused() -> None:
    invoice = finalized_invoice(amount_due="25.00")
    request = payment_request(TENANT, invoice.invoice_id, amount="25.01")
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(request, invoice)
    assert (caught.value.field, caught.value.reason) == ("amount.amount", "exceeds_amount_due")


def test_payment_of_exactly_the_amount_due_is_accepted_in_minor_units() -> None:
    invoice = finalized_invoice(amount_due="25.00")
    payment = Payment.record(payment_request(TENANT, invoice.invoice_id, amount="2.5E+1"), invoice)
    assert str(payment.amount.amount) == "25.00"


def test_absurdly_large_amount_is_refused_as_input() -> None:
    invoice = finalized_invoice()
    request = payment_request(TENANT, invoice.invoice_id, amount="1" + "0" * 40)
    with pytest.raises(InvalidPaymentError) as caught:
        Payment.record(request, invoice)
    assert (caught.value.field, caught.value.reason) == ("amount.amount", "too_large")


@pytest.mark.parametrize("status", ["draft", "paid", "void", ""])
def test_only_a_finalized_invoice_takes_payments(status: str) -> None:
    invoice = InvoiceDue(uuid4(), uuid4(), status, Money.of("100.00", "EUR"))
    with pytest.raises(InvoiceNotPayableError):
        Payment.record(payment_request(TENANT, invoice.invoice_id), invoice)


def test_same_key_for_a_different_payment_conflicts() -> None:
    invoice = finalized_invoice()
    payment = Payment.record(payment_request(TENANT, invoice.invoice_id), invoice)
    payment.check_same_request(payment_request(TENANT, invoice.invoice_id, amount="25.0"))
    for different in (
        payment_request(TENANT, invoice.invoice_id, amount="26.00"),
        payment_request(TENANT, invoice.invoice_id, method="cash"),
        payment_request(TENANT, invoice.invoice_id, reference="other"),
        payment_request(TENANT, uuid4()),
    ):
        with pytest.raises(IdempotencyKeyReusedError):
            payment.check_same_request(different)
