"""Subscriber identities, in memory: one account per identity and tenant, nothing half-written."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from kernel.errors import ConflictError, InvalidInputError, NotFoundError
from services.invoice.application import AccountOpening, InvoiceApplication
from services.invoice.domain.accounts import Account
from services.invoice.domain.errors import (
    AccountNotFoundError,
    IdentityChangedConcurrentlyError,
    IdentityNotAssignedError,
    IdentityStillAssignedError,
    IdentityTakenError,
)
from services.invoice.domain.identities import SubscriberIdentity

TENANT, OTHER = uuid4(), uuid4()
NUMBER = "+442071838750"


@pytest.fixture
def app() -> InvoiceApplication:
    return InvoiceApplication()


def open_account(
    app: InvoiceApplication, tenant_id: UUID = TENANT, name: str = "Ada",
    identities: list[str] | None = None,
) -> Account:
    plan = app.create_plan(tenant_id, "Home", "EUR", "10", [("voice", "minute", "0.02")])
    return app.open_account(tenant_id, AccountOpening(
        name=name, billing_email=f"{name.lower()}@example.org", plan_id=plan.id, timezone="UTC",
        start_date=date(2026, 11, 1), identities=identities or []))


def event_count(app: InvoiceApplication) -> int:
    return len(list(app.notification_log.select(1, 500)))


def topics(app: InvoiceApplication, after: int) -> list[str]:
    return [n.topic.rsplit(":", 1)[1] for n in app.notification_log.select(after + 1, 500)]


def test_assign_names_the_account_and_resolves(app: InvoiceApplication) -> None:
    account = open_account(app)
    before = event_count(app)
    assigned = app.assign_identity(TENANT, account.id, f"  {NUMBER} ")
    assert assigned.identities == [NUMBER]
    assert app.get_account(TENANT, account.id).identities == [NUMBER]
    assert sorted(topics(app, before)) == ["Account.IdentityAdded", "SubscriberIdentity.Assigned"]
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: account.id}


def test_every_event_carries_the_tenant(app: InvoiceApplication) -> None:
    account = open_account(app)
    app.assign_identity(TENANT, account.id, NUMBER)
    app.release_identity(TENANT, account.id, NUMBER)
    app.assign_identity(TENANT, account.id, NUMBER)
    record_id = SubscriberIdentity.create_id(TENANT, NUMBER)
    events = app.history(TENANT, "subscriber_identity", record_id)
    assert [type(e).__name__ for e in events] == ["Assigned", "Released", "Reassigned"]
    assert {e.tenant_id for e in events} == {TENANT}
    assert events[1].account_id == account.id


def test_assigning_again_changes_nothing(app: InvoiceApplication) -> None:
    account = open_account(app)
    app.assign_identity(TENANT, account.id, NUMBER)
    before = event_count(app)
    again = app.assign_identity(TENANT, account.id, NUMBER)
    assert again.identities == [NUMBER]
    assert event_count(app) == before


def test_an_identity_of_another_account_is_a_conflict_and_nothing_is_written(
    app: InvoiceApplication,
) -> None:
    ada = open_account(app, name="Ada")
    bob = open_account(app, name="Bob")
    app.assign_identity(TENANT, ada.id, NUMBER)
    before = event_count(app)
    with pytest.raises(IdentityTakenError) as error:
        app.assign_identity(TENANT, bob.id, NUMBER)
    assert isinstance(error.value, ConflictError)
    assert NUMBER in error.value.message
    assert event_count(app) == before
    assert app.get_account(TENANT, ada.id).identities == [NUMBER]
    assert app.get_account(TENANT, bob.id).identities == []
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: ada.id}


def test_a_released_identity_can_go_to_another_account(app: InvoiceApplication) -> None:
    ada = open_account(app, name="Ada")
    bob = open_account(app, name="Bob")
    app.assign_identity(TENANT, ada.id, NUMBER)
    released = app.release_identity(TENANT, ada.id, NUMBER)
    assert released.identities == []
    assert app.resolve_identities(TENANT, [NUMBER]) == {}
    before = event_count(app)
    assert app.assign_identity(TENANT, bob.id, NUMBER).identities == [NUMBER]
    assert sorted(topics(app, before)) == ["Account.IdentityAdded", "SubscriberIdentity.Reassigned"]
    assert app.get_account(TENANT, ada.id).identities == []
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: bob.id}


def test_releasing_what_the_account_does_not_have_is_not_found(app: InvoiceApplication) -> None:
    ada = open_account(app, name="Ada")
    bob = open_account(app, name="Bob")
    app.assign_identity(TENANT, ada.id, NUMBER)
    before = event_count(app)
    with pytest.raises(IdentityNotAssignedError):  # another account's
        app.release_identity(TENANT, bob.id, NUMBER)
    with pytest.raises(IdentityNotAssignedError):  # never assigned
        app.release_identity(TENANT, ada.id, "alice@isp")
    assert event_count(app) == before
    app.release_identity(TENANT, ada.id, NUMBER)
    before = event_count(app)
    with pytest.raises(IdentityNotAssignedError):  # already released
        app.release_identity(TENANT, ada.id, NUMBER)
    assert event_count(app) == before
    assert app.get_account(TENANT, ada.id).identities == []


def test_a_reassignment_needs_a_release_first() -> None:
    record = SubscriberIdentity(tenant_id=TENANT, identity=NUMBER, account_id=uuid4())
    with pytest.raises(IdentityStillAssignedError):
        record.reassign(uuid4())
    record.release()
    other = uuid4()
    record.reassign(other)
    assert record.is_assigned_to(other)


def test_resolve_names_known_identities_and_leaves_out_the_rest(app: InvoiceApplication) -> None:
    ada = open_account(app, name="Ada", identities=[NUMBER, "ada@dsl"])
    bob = open_account(app, name="Bob", identities=["CIRCUIT-0042/ge-0/0/1"])
    app.release_identity(TENANT, ada.id, "ada@dsl")
    resolved = app.resolve_identities(
        TENANT, [NUMBER, "CIRCUIT-0042/ge-0/0/1", "ada@dsl", "+15550000000", "", "a b", NUMBER]
    )
    assert resolved == {NUMBER: ada.id, "CIRCUIT-0042/ge-0/0/1": bob.id}


def test_open_account_with_identities_saves_them_together(app: InvoiceApplication) -> None:
    before = event_count(app)
    account = open_account(app, identities=[NUMBER, " ada@dsl "])
    assert account.identities == [NUMBER, "ada@dsl"]
    assert app.get_account(TENANT, account.id).identities == [NUMBER, "ada@dsl"]
    assert app.resolve_identities(TENANT, [NUMBER, "ada@dsl"]) == {
        NUMBER: account.id, "ada@dsl": account.id,
    }
    assert sorted(topics(app, before + 1)) == [  # after Plan.Created
        "Account.BillingDetailsChanged", "Account.BillingSetUp", "Account.IdentityAdded",
        "Account.IdentityAdded", "Account.Opened", "Account.Subscribed",
        "SubscriberIdentity.Assigned", "SubscriberIdentity.Assigned", "Subscription.Started",
    ]


def test_open_account_with_a_taken_identity_saves_nothing(app: InvoiceApplication) -> None:
    ada = open_account(app, name="Ada", identities=[NUMBER])
    plan = app.create_plan(TENANT, "Office", "EUR", "20", [])
    before = event_count(app)
    with pytest.raises(IdentityTakenError) as error:
        app.open_account(TENANT, AccountOpening(
            name="Bob", billing_email="bob@example.org", plan_id=plan.id, timezone="UTC",
            start_date=date(2026, 11, 1), identities=["bob@dsl", NUMBER]))
    assert NUMBER in error.value.message
    assert event_count(app) == before
    assert app.resolve_identities(TENANT, ["bob@dsl", NUMBER]) == {NUMBER: ada.id}


def test_open_account_takes_a_released_identity(app: InvoiceApplication) -> None:
    ada = open_account(app, name="Ada", identities=[NUMBER])
    app.release_identity(TENANT, ada.id, NUMBER)
    bob = open_account(app, name="Bob", identities=[NUMBER])
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: bob.id}


def test_a_concurrent_claim_is_caught_by_the_derived_id(
    app: InvoiceApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks pass on a stale read; the save still fails as a whole, and then says why."""
    ada = open_account(app, name="Ada", identities=[NUMBER])
    plan = app.create_plan(TENANT, "Office", "EUR", "20", [])
    before = event_count(app)
    real_load = app.load
    stale_reads = iter([True])

    def stale_load(kind: Any, tenant_id: UUID, aggregate_id: UUID) -> Any:
        if kind is SubscriberIdentity and next(stale_reads, False):
            return None  # the identity looked free when it was checked
        return real_load(kind, tenant_id, aggregate_id)

    monkeypatch.setattr(app, "load", stale_load)
    with pytest.raises(IdentityTakenError):
        app.open_account(TENANT, AccountOpening(
            name="Bob", billing_email="bob@example.org", plan_id=plan.id, timezone="UTC",
            start_date=date(2026, 11, 1), identities=[NUMBER]))
    assert event_count(app) == before
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: ada.id}


def test_a_save_that_keeps_colliding_is_a_conflict(
    app: InvoiceApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_account(app, name="Ada", identities=[NUMBER])
    plan = app.create_plan(TENANT, "Office", "EUR", "20", [])
    before = event_count(app)
    real_load = app.load

    def always_stale(kind: Any, tenant_id: UUID, aggregate_id: UUID) -> Any:
        return None if kind is SubscriberIdentity else real_load(kind, tenant_id, aggregate_id)

    monkeypatch.setattr(app, "load", always_stale)
    with pytest.raises(IdentityChangedConcurrentlyError) as error:
        app.open_account(TENANT, AccountOpening(
            name="Bob", billing_email="bob@example.org", plan_id=plan.id, timezone="UTC",
            start_date=date(2026, 11, 1), identities=[NUMBER]))
    assert isinstance(error.value, ConflictError)
    assert event_count(app) == before


@pytest.mark.parametrize(("identity", "reason"), [
    ("", "must not be empty"),
    ("   ", "must not be empty"),
    ("x" * 65, "at most 64 characters"),
    ("+44 20 7183", "must not contain whitespace"),
    ("ada\tdsl", "must not contain whitespace"),
    ("ada\x00dsl", "must contain printable characters only"),
    ("ada\u200bdsl", "must contain printable characters only"),
])
def test_invalid_identities_are_refused(
    app: InvoiceApplication, identity: str, reason: str
) -> None:
    account = open_account(app)
    before = event_count(app)
    with pytest.raises(InvalidInputError) as error:
        app.assign_identity(TENANT, account.id, identity)
    assert (error.value.field, error.value.reason) == ("identity", reason)
    with pytest.raises(InvalidInputError) as error:
        app.release_identity(TENANT, account.id, identity)
    assert error.value.field == "identity"
    assert event_count(app) == before


def test_sixty_four_characters_are_enough(app: InvoiceApplication) -> None:
    account = open_account(app)
    assert app.assign_identity(TENANT, account.id, "x" * 64).identities == ["x" * 64]


@pytest.mark.parametrize(("identities", "field"), [
    (["ada@dsl", "a b"], "identities[1]"),
    (["ada@dsl", " ada@dsl"], "identities[1]"),
    ([f"+{n}" for n in range(101)], "identities"),
])
def test_open_account_with_invalid_identities_saves_nothing(
    app: InvoiceApplication, identities: list[str], field: str
) -> None:
    plan = app.create_plan(TENANT, "Home", "EUR", "10", [])
    before = event_count(app)
    with pytest.raises(InvalidInputError) as error:
        app.open_account(TENANT, AccountOpening(
            name="Ada", billing_email="ada@example.org", plan_id=plan.id, timezone="UTC",
            start_date=date(2026, 11, 1), identities=identities))
    assert error.value.field == field
    assert event_count(app) == before


def test_an_unknown_account_takes_no_identity(app: InvoiceApplication) -> None:
    with pytest.raises(AccountNotFoundError):
        app.assign_identity(TENANT, uuid4(), NUMBER)
    with pytest.raises(NotFoundError):
        app.release_identity(TENANT, uuid4(), NUMBER)
    assert event_count(app) == 0


def test_tenants_have_their_own_identities(app: InvoiceApplication) -> None:
    ada = open_account(app, tenant_id=TENANT, name="Ada", identities=[NUMBER])
    eve = open_account(app, tenant_id=OTHER, name="Eve")
    assert app.resolve_identities(OTHER, [NUMBER]) == {}
    with pytest.raises(AccountNotFoundError):  # another tenant's account is not found
        app.assign_identity(OTHER, ada.id, "eve@dsl")
    with pytest.raises(NotFoundError):
        app.release_identity(OTHER, ada.id, NUMBER)
    with pytest.raises(NotFoundError):  # nor can it release this tenant's identity
        app.release_identity(OTHER, eve.id, NUMBER)
    # The same text in another tenant is another identity, naming another account.
    assert app.assign_identity(OTHER, eve.id, NUMBER).identities == [NUMBER]
    assert app.resolve_identities(TENANT, [NUMBER]) == {NUMBER: ada.id}
    assert app.resolve_identities(OTHER, [NUMBER]) == {NUMBER: eve.id}
    assert SubscriberIdentity.create_id(TENANT, NUMBER) != SubscriberIdentity.create_id(OTHER, NUMBER)
    assert app.get_account(TENANT, ada.id).identities == [NUMBER]
