"""The overdue position and the Dunning aggregate: its rules and its events' published fields."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from kernel.eventstore import event_envelope
from kernel.ids import derived_id
from kernel.money import Money
from services.payment.domain.dunning import (
    AccountNotSuspendedError,
    AccountSuspendedError,
    Dunning,
    EpisodeAlreadyOpenError,
    EpisodeNotOpenError,
    Overdue,
    OverdueInvoice,
    StepAlreadyTakenError,
)

TENANT = uuid4()
ACCOUNT = uuid4()


def eur(amount: str) -> Money:
    """Euros."""
    return Money.of(amount, "EUR")


def invoice(due: date, amount: str, disputed: str = "0", number: str = "INV-1") -> OverdueInvoice:
    """An overdue invoice."""
    return OverdueInvoice(uuid4(), number, due, eur(amount), eur(disputed))


def position(*invoices: OverdueInvoice) -> Overdue:
    """The account's position."""
    return Overdue(TENANT, ACCOUNT, "EUR", invoices)


def test_disputed_amounts_are_held_out_of_the_amount_overdue_and_its_oldest_date() -> None:
    old = invoice(date(2026, 1, 1), "50.00", disputed="50.00", number="INV-1")
    partly = invoice(date(2026, 2, 1), "80.00", disputed="30.00", number="INV-2")
    newer = invoice(date(2026, 3, 1), "20.00", number="INV-3")
    overdue = position(newer, old, partly)
    assert overdue.amount_overdue == eur("70.00")
    assert overdue.oldest_due_date == date(2026, 2, 1)
    assert overdue.invoice_ids == [partly.invoice_id, newer.invoice_id]
    assert overdue.invoice_numbers == ["INV-2", "INV-3"]
    assert not overdue.is_clear
    assert overdue.days_overdue(date(2026, 2, 11)) == 10


def test_a_dispute_larger_than_the_amount_due_never_counts_below_zero() -> None:
    overdue = position(invoice(date(2026, 1, 1), "10.00", disputed="15.00"))
    assert overdue.amount_overdue == eur("0")
    assert overdue.is_clear
    assert overdue.oldest_due_date is None
    assert overdue.days_overdue(date(2026, 2, 1)) == 0


def test_a_position_on_a_day_keeps_only_invoices_due_before_it() -> None:
    overdue = position(invoice(date(2026, 1, 10), "10.00"), invoice(date(2026, 1, 20), "5.00"))
    assert overdue.on(date(2026, 1, 20)).amount_overdue == eur("10.00")
    assert overdue.on(date(2026, 1, 10)).is_clear


def started(today: date = date(2026, 1, 2)) -> Dunning:
    """A record with episode 1 open."""
    dunning = Dunning(tenant_id=TENANT, account_id=ACCOUNT)
    dunning.start(date(2026, 1, 1), today)
    return dunning


def test_one_dunning_record_per_account_of_a_tenant() -> None:
    dunning = Dunning(tenant_id=TENANT, account_id=ACCOUNT)
    assert dunning.id == Dunning.create_id(TENANT, ACCOUNT) == derived_id(TENANT, "dunning", ACCOUNT)
    assert Dunning.create_id(uuid4(), ACCOUNT) != dunning.id
    assert (dunning.episode, dunning.is_open, dunning.suspended) == (0, False, False)


def test_steps_are_taken_only_in_an_open_episode() -> None:
    dunning = Dunning(tenant_id=TENANT, account_id=ACCOUNT)
    with pytest.raises(EpisodeNotOpenError):
        dunning.remind(1, 1, eur("1.00"), [])
    with pytest.raises(EpisodeNotOpenError):
        dunning.close()
    started_once = started()
    with pytest.raises(EpisodeAlreadyOpenError):
        started_once.start(date(2026, 1, 1), date(2026, 1, 3))


def test_each_step_is_taken_once_and_in_increasing_order() -> None:
    dunning = started()
    dunning.remind(2, 7, eur("10.00"), [])
    with pytest.raises(StepAlreadyTakenError):
        dunning.remind(2, 8, eur("10.00"), [])
    with pytest.raises(StepAlreadyTakenError):
        dunning.remind(1, 8, eur("10.00"), [])
    dunning.attempt_retry(1, eur("10.00"))
    with pytest.raises(StepAlreadyTakenError):
        dunning.attempt_retry(1, eur("10.00"))
    dunning.charge_late_fee(eur("2.00"), [])
    with pytest.raises(StepAlreadyTakenError):
        dunning.charge_late_fee(eur("2.00"), [])
    dunning.suspend(21, eur("10.00"), [])
    with pytest.raises(StepAlreadyTakenError):
        dunning.suspend(22, eur("10.00"), [])
    assert dunning.reminder_steps == [2]
    assert dunning.progress.retry_step == 1


def test_a_suspended_episode_closes_only_after_restoration() -> None:
    dunning = started()
    with pytest.raises(AccountNotSuspendedError):
        dunning.restore()
    dunning.suspend(21, eur("10.00"), [])
    with pytest.raises(AccountSuspendedError):
        dunning.close()
    dunning.restore()
    dunning.close()
    assert (dunning.is_open, dunning.suspended, dunning.episode) == (False, False, 1)


def test_a_new_episode_starts_every_step_again() -> None:
    dunning = started()
    dunning.remind(1, 1, eur("10.00"), [])
    dunning.charge_late_fee(eur("2.00"), [])
    dunning.close()
    dunning.start(date(2026, 3, 1), date(2026, 3, 2))
    assert dunning.episode == 2
    assert dunning.reminder_steps == []
    assert dunning.late_fee is None
    dunning.remind(1, 1, eur("5.00"), [])
    dunning.charge_late_fee(eur("1.00"), [])


def envelopes(dunning: Dunning) -> dict[str, dict[str, object]]:
    """The published data of each pending event, by type."""
    return {envelope["type"]: envelope["data"]
            for envelope in (event_envelope("payment", n, e) for n, e in enumerate(dunning.collect_events()))}


def test_published_events_carry_the_contract_fields() -> None:
    dunning = Dunning(tenant_id=TENANT, account_id=ACCOUNT)
    dunning.start(date(2026, 1, 1), date(2026, 1, 2))
    invoice_id: UUID = uuid4()
    dunning.remind(1, 1, eur("10.00"), [invoice_id])
    dunning.attempt_retry(1, eur("10.00"))
    dunning.charge_late_fee(eur("2.00"), [invoice_id])
    dunning.suspend(21, eur("10.00"), [invoice_id])
    dunning.restore()
    dunning.close()
    account, money = str(ACCOUNT), {"amount": "10.00", "currency": "EUR"}
    assert envelopes(dunning) == {
        "Dunning.Created": {"account_id": account},
        "Dunning.Started": {"account_id": account, "episode": 1, "oldest_due_date": "2026-01-01",
                            "started_on": "2026-01-02"},
        "Dunning.Reminded": {"account_id": account, "episode": 1, "step": 1, "days_overdue": 1,
                             "amount_overdue": money, "invoice_ids": [str(invoice_id)]},
        "Dunning.RetryAttempted": {"account_id": account, "episode": 1, "step": 1,
                                   "payment_id": str(derived_id(dunning.id, 1, "retry", 1)),
                                   "amount": money},
        "Dunning.LateFeeCharged": {"account_id": account, "episode": 1,
                                   "charge_id": str(derived_id(dunning.id, 1, "late-fee")),
                                   "amount": {"amount": "2.00", "currency": "EUR"},
                                   "invoice_ids": [str(invoice_id)]},
        "Dunning.Suspended": {"account_id": account, "episode": 1, "days_overdue": 21,
                              "amount_overdue": money, "invoice_ids": [str(invoice_id)]},
        "Dunning.Restored": {"account_id": account, "episode": 1},
        "Dunning.Closed": {"account_id": account, "episode": 1},
    }
