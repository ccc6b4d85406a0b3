"""Recording and reading payments through the application, in memory, with a fake invoice port."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID, uuid4

import pytest

from kernel.errors import DomainError
from kernel.money import Money
from services.payment.application import PaymentApplication, RecordPayment
from services.payment.domain.payments import (
    IdempotencyKeyReusedError,
    InvalidPaymentError,
    InvoiceNotFoundError,
    InvoiceNotPayableError,
    Payment,
    PaymentNotFoundError,
    PaymentRequest,
)
from tests.unit.payment.payment_fakes import FakeInvoices, payment_request, stored_event_count


@pytest.fixture
def app() -> PaymentApplication:
    """A payment application with in-memory persistence."""
    return PaymentApplication()


@pytest.fixture
def invoices() -> FakeInvoices:
    """The invoice service, faked."""
    return FakeInvoices()


@pytest.fixture
def record(app: PaymentApplication, invoices: FakeInvoices) -> RecordPayment:
    """The RecordPayment use case over the in-memory application."""
    return RecordPayment(app, invoices)


@pytest.fixture
def tenant() -> UUID:
    """A fresh tenant."""
    return uuid4()


async def test_payment_against_a_finalized_invoice_is_recorded_and_readable(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    payment = await record(payment_request(tenant, invoice.invoice_id))
    stored = app.get_payment(tenant, payment.id)
    assert stored.amount == Money.of("25.00", "EUR")
    assert stored.account_id == invoice.account_id
    assert stored.status == "succeeded"
    assert [type(event).__qualname__ for event in app.history(tenant, "payment", payment.id)] == [
        "Payment.Recorded"
    ]


async def test_retry_with_the_same_key_returns_the_same_payment_without_saving_again(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    first = await record(payment_request(tenant, invoice.invoice_id))
    invoices.set_status(tenant, invoice.invoice_id, "paid")
    retried = await record(payment_request(tenant, invoice.invoice_id))
    assert retried.id == first.id
    assert stored_event_count(app) == 1


async def test_same_key_with_a_different_amount_conflicts(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    await record(payment_request(tenant, invoice.invoice_id, amount="25.00"))
    with pytest.raises(IdempotencyKeyReusedError):
        await record(payment_request(tenant, invoice.invoice_id, amount="30.00"))
    assert stored_event_count(app) == 1


async def test_same_key_in_another_tenant_is_another_payment(
    invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    other_tenant = uuid4()
    mine = await record(payment_request(tenant, invoices.add(tenant).invoice_id))
    theirs = await record(payment_request(other_tenant, invoices.add(other_tenant).invoice_id))
    assert mine.id != theirs.id


async def test_payments_without_a_key_are_each_recorded(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    first = await record(payment_request(tenant, invoice.invoice_id, idempotency_key=""))
    second = await record(payment_request(tenant, invoice.invoice_id, idempotency_key=""))
    assert first.id != second.id
    assert stored_event_count(app) == 2


def test_concurrent_save_under_the_same_key_returns_the_payment_that_won(
    app: PaymentApplication, invoices: FakeInvoices, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    request = payment_request(tenant, invoice.invoice_id)
    winner = app.record_payment(request, invoice)
    loser = app.record_payment(request, invoice)
    assert loser.id == winner.id
    assert stored_event_count(app) == 1


def test_concurrent_save_under_the_same_key_with_other_parameters_conflicts(
    app: PaymentApplication, invoices: FakeInvoices, tenant: UUID
) -> None:
    invoice = invoices.add(tenant)
    app.record_payment(payment_request(tenant, invoice.invoice_id, amount="10.00"), invoice)
    with pytest.raises(IdempotencyKeyReusedError):
        app.record_payment(payment_request(tenant, invoice.invoice_id, amount="11.00"), invoice)
    assert stored_event_count(app) == 1


RequestFor = Callable[[UUID, FakeInvoices], PaymentRequest]


def on_invoice(**changes: str) -> RequestFor:
    """A request against a fresh invoice of the tenant, with these request fields changed."""
    return lambda tenant, invoices: payment_request(
        tenant, invoices.add(tenant).invoice_id, **changes
    )


def on_invoice_in(status: str, amount_due: str = "100.00") -> RequestFor:
    """A valid request against a fresh invoice in this status."""
    return lambda tenant, invoices: payment_request(
        tenant, invoices.add(tenant, status=status, amount_due=amount_due).invoice_id
    )


REFUSED: list[tuple[str, RequestFor, type[DomainError]]] = [
    ("zero amount", on_invoice(amount="0"), InvalidPaymentError),
    ("negative amount", on_invoice(amount="-1.00"), InvalidPaymentError),
    ("unknown method", on_invoice(method="cheque"), InvalidPaymentError),
    ("wrong currency", on_invoice(currency="USD"), InvalidPaymentError),
    ("above amount due", on_invoice_in("finalized", amount_due="24.99"), InvalidPaymentError),
    ("draft invoice", on_invoice_in("draft"), InvoiceNotPayableError),
    ("paid invoice", on_invoice_in("paid"), InvoiceNotPayableError),
    ("void invoice", on_invoice_in("void"), InvoiceNotPayableError),
    ("unknown invoice", lambda tenant, _: payment_request(tenant, uuid4()), InvoiceNotFoundError),
]


@pytest.mark.parametrize(
    ("request_for", "error"), [(r, e) for _, r, e in REFUSED], ids=[n for n, _, _ in REFUSED]
)
async def test_refused_payment_writes_nothing(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID,
    request_for: RequestFor, error: type[DomainError],
) -> None:
    with pytest.raises(error):
        await record(request_for(tenant, invoices))
    assert stored_event_count(app) == 0


async def test_refused_input_does_not_ask_the_invoice_service(
    invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    with pytest.raises(InvalidPaymentError):
        await record(on_invoice(amount="-1")(tenant, invoices))
    assert invoices.lookups == 0


async def test_another_tenants_invoice_is_not_found(
    invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    someone_elses = invoices.add(uuid4())
    with pytest.raises(InvoiceNotFoundError):
        await record(payment_request(tenant, someone_elses.invoice_id))


async def test_another_tenants_payment_is_not_found(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    payment = await record(payment_request(tenant, invoices.add(tenant).invoice_id))
    with pytest.raises(PaymentNotFoundError):
        app.get_payment(uuid4(), payment.id)
    with pytest.raises(PaymentNotFoundError):
        app.history(uuid4(), "payment", payment.id)


def test_unknown_payment_is_not_found(app: PaymentApplication, tenant: UUID) -> None:
    with pytest.raises(PaymentNotFoundError):
        app.get_payment(tenant, uuid4())


async def test_history_of_another_aggregate_type_is_refused(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    payment = await record(payment_request(tenant, invoices.add(tenant).invoice_id))
    with pytest.raises(InvalidPaymentError) as caught:
        app.history(tenant, "invoice", payment.id)
    assert caught.value.field == "aggregate_type"


async def test_stored_payment_replays_to_the_same_state(
    app: PaymentApplication, invoices: FakeInvoices, record: RecordPayment, tenant: UUID
) -> None:
    payment = await record(payment_request(tenant, invoices.add(tenant).invoice_id))
    replayed: object = app.repository.get(payment.id)
    assert isinstance(replayed, Payment)
    assert vars(replayed) == vars(payment)

