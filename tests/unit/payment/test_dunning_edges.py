"""The edges of dunning: the invoice-service adapter and the protobuf conversions of the servicer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import grpc
import pytest
from billing.invoice.v1 import invoice_pb2
from billing.payment.v1 import dunning_pb2

from kernel.clock import FixedClock
from kernel.eventstore import BillingApplication
from kernel.money import Money
from services.payment.account_control import (
    AccountChangeRefusedError,
    AccountNotFoundError,
    AccountServiceUnavailableError,
    GrpcAccountControl,
)
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DEFAULT_TERMS, InvalidDunningPolicyError, LateFee
from services.payment.dunning import DunningRuns
from services.payment.dunning_store import DunningStore
from services.payment.grpc_dunning import (
    DunningServicer,
    InvalidDunningRunError,
    dunning_to_proto,
    policy_to_proto,
    terms_from_proto,
)
from tests.unit.gateway.gateway_fakes import FakeService, rpc_error
from tests.unit.payment.dunning_fakes import FakeAccountControl, FakeCases, FakeCollections, FakeLedger

TENANT, ACCOUNT = uuid4(), uuid4()


def control(invoice: FakeService) -> GrpcAccountControl:
    """The adapter over a stand-in invoice stub."""
    adapter = GrpcAccountControl(grpc.aio.insecure_channel("127.0.0.1:9"), timeout_seconds=1)
    adapter.stub = invoice
    return adapter


def refused() -> grpc.aio.AioRpcError:
    """What the invoice service answers a status change the account is not in a state for."""
    return rpc_error(grpc.StatusCode.FAILED_PRECONDITION, "account is suspended")


async def test_suspend_asks_the_invoice_service_with_the_reason() -> None:
    invoice = FakeService(ChangeAccountStatus=invoice_pb2.Account(status="suspended"))
    await control(invoice).suspend(TENANT, ACCOUNT, "dunning: 21 days overdue")
    (request,) = invoice.requests["ChangeAccountStatus"]
    assert (request.tenant_id, request.account_id, request.action, request.reason) == (
        str(TENANT), str(ACCOUNT), "suspend", "dunning: 21 days overdue")


@pytest.mark.parametrize(("action", "status"), [
    ("suspend", "suspended"), ("suspend", "closed"), ("reactivate", "active"), ("reactivate", "closed"),
])
async def test_a_status_change_already_in_effect_is_done(action: str, status: str) -> None:
    invoice = FakeService(ChangeAccountStatus=refused(), GetAccount=invoice_pb2.Account(status=status))
    await getattr(control(invoice), action)(TENANT, ACCOUNT, "dunning")
    assert len(invoice.requests["GetAccount"]) == 1


@pytest.mark.parametrize(("action", "status"), [("suspend", "active"), ("reactivate", "suspended")])
async def test_a_refused_status_change_not_in_effect_is_an_error(action: str, status: str) -> None:
    invoice = FakeService(ChangeAccountStatus=refused(), GetAccount=invoice_pb2.Account(status=status))
    with pytest.raises(AccountChangeRefusedError):
        await getattr(control(invoice), action)(TENANT, ACCOUNT, "dunning")


@pytest.mark.parametrize(("code", "error"), [
    (grpc.StatusCode.NOT_FOUND, AccountNotFoundError),
    (grpc.StatusCode.UNAVAILABLE, AccountServiceUnavailableError),
    (grpc.StatusCode.DEADLINE_EXCEEDED, AccountServiceUnavailableError),
    (grpc.StatusCode.INVALID_ARGUMENT, AccountChangeRefusedError),
])
async def test_invoice_service_errors_become_named_errors(code: grpc.StatusCode, error: type) -> None:
    invoice = FakeService(AddCharge=rpc_error(code, "no"), ChangeAccountStatus=rpc_error(code, "no"))
    with pytest.raises(error):
        await control(invoice).add_charge(TENANT, ACCOUNT, uuid4(), "Late fee", Money.of("5.00", "EUR"))
    if code is not grpc.StatusCode.INVALID_ARGUMENT:
        with pytest.raises(error):
            await control(invoice).reactivate(TENANT, ACCOUNT, "dunning")


async def test_a_charge_carries_its_id_description_and_amount() -> None:
    invoice = FakeService(AddCharge=invoice_pb2.Charge())
    charge_id = uuid4()
    await control(invoice).add_charge(TENANT, ACCOUNT, charge_id, "Late payment fee", Money.of("5.00", "GBP"))
    (request,) = invoice.requests["AddCharge"]
    assert (request.charge_id, request.description, request.amount.amount, request.amount.currency) == (
        str(charge_id), "Late payment fee", "5.00", "GBP")


def test_a_policy_request_without_fee_and_suspension_means_none() -> None:
    terms = terms_from_proto(dunning_pb2.ConfigureDunningPolicyRequest(reminder_days=[2, 5]))
    assert (terms.reminder_days, terms.retry_days, terms.late_fee, terms.suspend_after_days) == (
        (2, 5), (), None, None)


def test_a_policy_round_trips_through_the_wire() -> None:
    request = dunning_pb2.ConfigureDunningPolicyRequest(
        reminder_days=[1], retry_days=[3], suspend_after_days=30,
        late_fee=dunning_pb2.LateFee(percent="1.5", fixed={"EUR": "2.00"}, after_days=4))
    terms = terms_from_proto(request)
    assert terms.late_fee == LateFee(Decimal("1.5"), {"EUR": Money.of("2.00", "EUR")}, 4)
    wire = policy_to_proto(terms)
    fee = wire.late_fee
    assert (fee.percent, dict(fee.fixed), fee.after_days) == ("1.5", {"EUR": "2.00"}, 4)
    assert wire.suspend_after_days == 30
    assert not wire.is_default
    default = policy_to_proto(DEFAULT_TERMS)
    assert default.is_default and not default.HasField("late_fee")


def test_a_bad_policy_on_the_wire_names_the_field() -> None:
    request = dunning_pb2.ConfigureDunningPolicyRequest(
        late_fee=dunning_pb2.LateFee(percent="30", after_days=4))
    with pytest.raises(InvalidDunningPolicyError) as caught:
        terms_from_proto(request)
    assert (caught.value.field, caught.value.reason) == ("late_fee.percent", "must_be_above_0_and_at_most_25")


def test_an_account_never_overdue_reads_as_status_none() -> None:
    assert dunning_to_proto(ACCOUNT, None) == dunning_pb2.Dunning(account_id=str(ACCOUNT), status="none")
    fresh = Dunning(tenant_id=TENANT, account_id=ACCOUNT)
    assert dunning_to_proto(ACCOUNT, fresh).status == "none"


def servicer(allow_future_runs: bool) -> DunningServicer:
    """A servicer whose clock says 2026-03-10 (UTC) at 23:30."""
    ledger = FakeLedger()
    store = DunningStore(BillingApplication())
    runs = DunningRuns(store, FakeCases(), ledger, FakeCollections(ledger), FakeAccountControl(),
                       FixedClock(datetime(2026, 3, 10, 23, 30, tzinfo=UTC)))
    return DunningServicer(store, runs, allow_future_runs)


def test_a_run_date_after_the_service_today_is_refused_unless_allowed() -> None:
    assert servicer(False).run_date("") == date(2026, 3, 10)
    assert servicer(False).run_date("2026-03-01") == date(2026, 3, 1)
    with pytest.raises(InvalidDunningRunError) as caught:
        servicer(False).run_date("2026-03-11")
    assert (caught.value.field, caught.value.reason) == ("date", "after_today")
    assert servicer(True).run_date("2026-04-30") == date(2026, 4, 30)
