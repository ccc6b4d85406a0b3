"""The dunning planner, day by day: reminders, retries, the late fee, suspension, restoration."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from kernel.ids import derived_id
from kernel.money import Money
from services.payment.domain.dunning import Dunning, Overdue, OverdueInvoice
from services.payment.domain.dunning_plan import (
    ChargeLateFee,
    Close,
    DunningAction,
    Remind,
    Restore,
    Retry,
    Start,
    Suspend,
    late_fee_description,
    plan,
)
from services.payment.domain.dunning_policy import DEFAULT_TERMS, DunningTerms, LateFee

TENANT = uuid4()
ACCOUNT = uuid4()
DUE = date(2026, 3, 1)
WITH_FEE = DunningTerms((1, 7), (3,), LateFee(Decimal(10), {"EUR": Money.of("5.00", "EUR")}, 10), 21)


def eur(amount: str) -> Money:
    """Euros."""
    return Money.of(amount, "EUR")


def overdue(amount: str = "100.00", disputed: str = "0", due: date = DUE, number: str = "INV-7") -> Overdue:
    """The account owes one invoice due on DUE."""
    unpaid = OverdueInvoice(uuid4(), number, due, eur(amount), eur(disputed))
    return Overdue(TENANT, ACCOUNT, "EUR", (unpaid,))


CLEAR = Overdue(TENANT, ACCOUNT, "EUR", ())


def day(n: int) -> date:
    """n days after the due date."""
    return DUE + timedelta(days=n)


def run(dunning: Dunning, position: Overdue, days: int, terms: DunningTerms = DEFAULT_TERMS,
        has_stored_method: bool = False) -> list[DunningAction]:
    """Plan one day and record the actions on the record, as a run does."""
    actions = plan(terms, dunning, position, day(days), has_stored_method)
    for action in actions:
        action.record_on(dunning)
    return actions


def kinds(actions: list[DunningAction]) -> list[str]:
    """What the actions are."""
    return [action.kind for action in actions]


def new_dunning() -> Dunning:
    """An account never overdue before."""
    return Dunning(tenant_id=TENANT, account_id=ACCOUNT)


def test_a_clear_account_without_an_episode_needs_nothing() -> None:
    assert plan(DEFAULT_TERMS, new_dunning(), CLEAR, day(5), True) == []


def test_an_invoice_due_today_is_not_overdue_yet() -> None:
    assert plan(DEFAULT_TERMS, new_dunning(), overdue(), day(0), True) == []


def test_first_overdue_day_starts_an_episode_and_sends_the_first_reminder() -> None:
    position = overdue()
    actions = run(new_dunning(), position, 1)
    assert actions == [Start(DUE, day(1)), Remind(1, 1, eur("100.00"), tuple(position.invoice_ids))]


def test_default_schedule_from_reminder_to_suspension_one_step_a_day_at_most_once() -> None:
    dunning, position = new_dunning(), overdue()
    taken = {n: kinds(run(dunning, position, n, has_stored_method=True)) for n in range(1, 25)}
    assert {n: k for n, k in taken.items() if k} == {
        1: ["started", "reminded"], 3: ["retried"], 7: ["reminded"], 10: ["retried"], 14: ["reminded"],
        21: ["suspended"],
    }
    assert dunning.reminder_steps == [1, 2, 3]
    assert [step for step, _, _ in dunning.retries] == [1, 2]


def test_after_a_gap_only_the_latest_due_reminder_and_retry_are_taken() -> None:
    dunning = new_dunning()
    actions = run(dunning, overdue(), 15, has_stored_method=True)
    assert kinds(actions) == ["started", "retried", "reminded"]
    assert (actions[1].step, actions[2].step) == (2, 3)  # type: ignore[union-attr]
    assert run(dunning, overdue(), 16, has_stored_method=True) == []


def test_a_retry_needs_a_stored_method_and_waits_for_one() -> None:
    dunning = new_dunning()
    assert "retried" not in kinds(run(dunning, overdue(), 3, has_stored_method=False))
    retry = run(dunning, overdue(), 4, has_stored_method=True)
    assert retry == [Retry(1, derived_id(dunning.id, 1, "retry", 1), eur("100.00"))]


def test_the_late_fee_is_charged_once_after_its_days_with_percent_plus_fixed() -> None:
    dunning, position = new_dunning(), overdue("80.00", number="INV-9")
    before = [run(dunning, position, n, WITH_FEE) for n in range(1, 10)]
    assert not any(isinstance(a, ChargeLateFee) for actions in before for a in actions)
    fee = [a for a in run(dunning, position, 10, WITH_FEE) if isinstance(a, ChargeLateFee)]
    assert fee == [ChargeLateFee(derived_id(dunning.id, 1, "late-fee"), eur("13.00"),
                                 tuple(position.invoice_ids), "Late payment fee (invoices INV-9)")]
    assert not any(isinstance(a, ChargeLateFee) for a in run(dunning, position, 11, WITH_FEE))


def test_no_late_fee_when_the_policy_has_none_for_the_currency() -> None:
    terms = DunningTerms((), (), LateFee(None, {"GBP": Money.of("5.00", "GBP")}, 2), None)
    assert plan(terms, new_dunning(), overdue(), day(30), False) == [Start(DUE, day(30))]


def test_suspension_happens_once_when_the_threshold_is_reached() -> None:
    dunning, position = new_dunning(), overdue()
    for n in range(1, 21):
        assert "suspended" not in kinds(run(dunning, position, n))
    assert run(dunning, position, 21) == [Suspend(21, eur("100.00"), tuple(position.invoice_ids),
                                                  "dunning: 21 days overdue, 100.00 EUR unpaid")]
    assert dunning.suspended
    assert run(dunning, position, 22) == []


def test_a_policy_without_suspension_never_suspends() -> None:
    terms = DunningTerms((1,), (), None, None)
    dunning = new_dunning()
    assert all("suspended" not in kinds(run(dunning, overdue(), n, terms)) for n in range(1, 200))


def test_clearing_restores_a_suspended_account_then_closes_the_episode() -> None:
    dunning = new_dunning()
    run(dunning, overdue(), 25)
    assert dunning.suspended
    assert run(dunning, CLEAR, 26) == [Restore(), Close()]
    assert not dunning.suspended and not dunning.is_open


def test_clearing_an_episode_that_never_suspended_just_closes_it() -> None:
    dunning = new_dunning()
    run(dunning, overdue(), 2)
    assert run(dunning, CLEAR, 3) == [Close()]


def test_a_fully_disputed_invoice_is_held_out_of_dunning() -> None:
    dunning = new_dunning()
    assert run(dunning, overdue("100.00", disputed="100.00"), 30) == []
    run(dunning, overdue(), 2)
    assert run(dunning, overdue("100.00", disputed="100.00"), 3) == [Close()]


def test_the_disputed_part_is_not_chased_nor_charged_a_fee() -> None:
    dunning = new_dunning()
    actions = run(dunning, overdue("100.00", disputed="60.00"), 10, WITH_FEE)
    amounts = {a.kind: a.amount if isinstance(a, ChargeLateFee) else a.amount_overdue
               for a in actions if isinstance(a, Remind | ChargeLateFee)}
    assert amounts == {"reminded": eur("40.00"), "late_fee_charged": eur("9.00")}


def test_overdue_again_after_clearing_starts_a_new_episode_from_the_first_step() -> None:
    dunning = new_dunning()
    run(dunning, overdue(), 25, WITH_FEE)
    run(dunning, CLEAR, 26, WITH_FEE)
    later = overdue(due=day(40))
    actions = plan(WITH_FEE, dunning, later, day(41), False)
    assert kinds(actions) == ["started", "reminded"]
    assert actions[1] == Remind(1, 1, eur("100.00"), tuple(later.invoice_ids))
    for action in actions:
        action.record_on(dunning)
    assert dunning.episode == 2


def test_steps_count_from_the_oldest_undisputed_due_date() -> None:
    older = OverdueInvoice(uuid4(), "INV-1", DUE, eur("10.00"), eur("10.00"))
    newer = OverdueInvoice(uuid4(), "INV-2", day(5), eur("10.00"), eur("0"))
    position = Overdue(TENANT, ACCOUNT, "EUR", (older, newer))
    actions = plan(DEFAULT_TERMS, new_dunning(), position, day(12), False)
    assert actions == [Start(day(5), day(12)), Remind(2, 7, eur("10.00"), (newer.invoice_id,))]


def test_a_long_list_of_invoices_is_counted_in_the_fee_description() -> None:
    assert late_fee_description(["INV-1", "INV-2"]) == "Late payment fee (invoices INV-1, INV-2)"
    many = [f"INV-{n:08d}" for n in range(40)]
    assert late_fee_description(many) == "Late payment fee (40 overdue invoices)"
