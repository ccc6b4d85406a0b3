"""Properties of dunning over any sequence of daily runs with invoices, payments and disputes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.money import Money
from services.payment.domain.dunning import Dunning, Overdue, OverdueInvoice
from services.payment.domain.dunning_plan import latest_step, plan
from services.payment.domain.dunning_policy import DunningTerms, LateFee

TENANT = uuid4()
ACCOUNT = uuid4()
FIRST_DAY = date(2026, 1, 1)


def schedule() -> st.SearchStrategy[tuple[int, ...]]:
    """Strictly increasing day counts."""
    return st.lists(st.integers(1, 30), max_size=4, unique=True).map(lambda days: tuple(sorted(days)))


terms_strategy = st.builds(
    DunningTerms,
    reminder_days=schedule(),
    retry_days=schedule(),
    late_fee=st.none() | st.builds(LateFee, percent=st.integers(1, 25).map(Decimal),
                                   fixed=st.just({}), after_days=st.integers(1, 30)),
    suspend_after_days=st.none() | st.integers(1, 30),
)

day_strategy = st.fixed_dictionaries({
    "invoice": st.none() | st.tuples(st.integers(0, 8), st.integers(1, 200)),
    "payment": st.none() | st.integers(1, 300),
    "dispute": st.none() | st.tuples(st.integers(0, 5), st.integers(0, 200)),
    "runs": st.booleans() | st.just(True),
    "has_stored_method": st.booleans(),
})


@dataclass
class Ledger:
    """One account's invoices: due date, amount due, disputed part."""

    invoices: list[OverdueInvoice] = field(default_factory=list)

    def apply(self, today: date, change: dict[str, Any]) -> None:
        """Today's new invoice, payment (oldest first) and dispute."""
        if change["invoice"] is not None:
            due_in, amount = change["invoice"]
            self.invoices.append(OverdueInvoice(uuid4(), f"INV-{len(self.invoices)}",
                                                today + timedelta(days=due_in), eur(amount), eur(0)))
        if change["payment"] is not None:
            self.pay(eur(change["payment"]))
        if change["dispute"] is not None and self.invoices:
            index, amount = change["dispute"]
            target = self.invoices[index % len(self.invoices)]
            self.replace(target, OverdueInvoice(target.invoice_id, target.number, target.due_date,
                                                target.amount_due, eur(amount)))

    def pay(self, amount: Money) -> None:
        """Settle the oldest invoices first."""
        for invoice in sorted(self.invoices, key=lambda i: i.due_date):
            applied = min(amount.amount, invoice.amount_due.amount)
            amount = amount - eur(applied)
            self.replace(invoice, OverdueInvoice(invoice.invoice_id, invoice.number, invoice.due_date,
                                                 invoice.amount_due - eur(applied), invoice.disputed))

    def replace(self, old: OverdueInvoice, new: OverdueInvoice) -> None:
        """Swap an invoice's state."""
        self.invoices[self.invoices.index(old)] = new

    def position(self, today: date) -> Overdue:
        """What the ledger reports as past due today."""
        return Overdue(TENANT, ACCOUNT, "EUR", tuple(
            i for i in self.invoices if i.due_date < today and i.amount_due.is_positive))


def eur(amount: int | Decimal) -> Money:
    """Euros."""
    return Money(Decimal(amount), "EUR")


def replayed(events: list[Any]) -> Dunning:
    """The record rebuilt from its events, as after a restart."""
    aggregate: Any = None
    for stored in events:
        aggregate = stored.mutate(aggregate)
    assert isinstance(aggregate, Dunning)
    return aggregate


@dataclass
class Episode:
    """What one episode published, with the most days overdue any run of it saw."""

    events: list[Any] = field(default_factory=list)
    most_days_overdue: int = 0


def simulate(terms: DunningTerms, days: list[dict[str, Any]]) -> list[Episode]:
    """Run dunning day after day, replaying the record from its events before each run."""
    ledger, history = Ledger(), list(Dunning(tenant_id=TENANT, account_id=ACCOUNT).collect_events())
    episodes: dict[int, Episode] = defaultdict(Episode)
    for offset, change in enumerate(days):
        today = FIRST_DAY + timedelta(days=offset)
        ledger.apply(today, change)
        if not change["runs"]:
            continue
        dunning, position = replayed(history), ledger.position(today)
        actions = plan(terms, dunning, position, today, change["has_stored_method"])
        for action in actions:
            action.record_on(dunning)
        new_events: list[Any] = list(dunning.collect_events())
        history.extend(new_events)
        check_run(terms, dunning, position, today, change["has_stored_method"], new_events)
        if not position.is_clear:
            episode = episodes[dunning.episode]
            episode.most_days_overdue = max(episode.most_days_overdue, position.days_overdue(today))
        for published in new_events:
            episodes[published.episode].events.append(published)
        check_suspension_matches_threshold(terms, dunning, episodes)
    return list(episodes.values())


def names(events: list[Any]) -> list[str]:
    """Event class names."""
    return [type(e).__name__ for e in events]


def check_run(
    terms: DunningTerms, dunning: Dunning, position: Overdue, today: date, has_method: bool,
    events: list[Any],
) -> None:
    """After every run: open exactly while overdue, never suspended while clear, latest steps only."""
    assert dunning.is_open is not position.is_clear
    if position.is_clear:
        assert not dunning.suspended
    assert names(events).count("RetryAttempted") <= (1 if has_method else 0)
    days = position.days_overdue(today)
    for published in events:
        if type(published).__name__ == "Reminded":
            assert published.step == latest_step(terms.reminder_days, days)
        if type(published).__name__ == "RetryAttempted":
            assert published.step == latest_step(terms.retry_days, days)


def check_suspension_matches_threshold(
    terms: DunningTerms, dunning: Dunning, episodes: dict[int, Episode]
) -> None:
    """Suspended exactly when a run of the open episode saw the threshold reached."""
    threshold = terms.suspend_after_days
    reached = (dunning.is_open and threshold is not None
               and episodes[dunning.episode].most_days_overdue >= threshold)
    assert dunning.suspended is reached


def check_episode(episode: Episode) -> None:
    """Steps at most once and in increasing order; a suspension is restored before the close."""
    kinds = names(episode.events)
    reminders = [e.step for e in episode.events if type(e).__name__ == "Reminded"]
    retries = [e.step for e in episode.events if type(e).__name__ == "RetryAttempted"]
    assert reminders == sorted(set(reminders))
    assert retries == sorted(set(retries))
    assert kinds.count("LateFeeCharged") <= 1
    assert kinds.count("Suspended") <= 1
    assert kinds.count("Started") == 1 and kinds[0] == "Started"
    if "Closed" in kinds:
        assert kinds[-1] == "Closed"
        assert kinds.count("Suspended") == kinds.count("Restored")
    if "Restored" in kinds:
        assert kinds.index("Suspended") < kinds.index("Restored")


@settings(max_examples=150, deadline=None)
@given(terms=terms_strategy, days=st.lists(day_strategy, min_size=1, max_size=60))
def test_any_sequence_of_daily_runs_keeps_every_dunning_rule(
    terms: DunningTerms, days: list[dict[str, Any]]
) -> None:
    for episode in simulate(terms, days):
        check_episode(episode)


@settings(max_examples=50, deadline=None)
@given(terms=terms_strategy, amount=st.integers(1, 500), down=st.integers(0, 40))
def test_an_unpaid_invoice_is_dunned_to_suspension_and_restored_once_paid(
    terms: DunningTerms, amount: int, down: int
) -> None:
    quiet = {"invoice": None, "payment": None, "dispute": None, "runs": True, "has_stored_method": False}
    asleep = {**quiet, "runs": False}
    days = ([{**asleep, "invoice": (0, amount)}] + [asleep] * down + [quiet] * (45 - down)
            + [{**quiet, "payment": amount}])
    episodes = simulate(terms, days)
    assert len(episodes) == 1
    kinds = names(episodes[0].events)
    assert kinds[-1] == "Closed"
    assert ("Suspended" in kinds) is (terms.suspend_after_days is not None)
    passed_over = max(latest_step(terms.reminder_days, down + 1) - 1, 0)
    assert kinds.count("Reminded") == len(terms.reminder_days) - passed_over
