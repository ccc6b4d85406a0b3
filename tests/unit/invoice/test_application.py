"""Invoice use cases, in memory: tenancy, validation, nothing half-written."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from services.invoice.application import AccountOpening, InvoiceApplication
from services.invoice.domain.errors import (
    AccountNotFoundError,
    InvalidAccountError,
    InvalidPlanError,
)

TENANT, OTHER = uuid4(), uuid4()


@pytest.fixture
def app() -> InvoiceApplication:
    return InvoiceApplication()


def opening(plan_id: UUID, name: str = "Ada", email: str = "ada@example.org", zone: str = "UTC",
            currency: str = "", **extra: object) -> AccountOpening:
    """An account opening with defaults."""
    return AccountOpening(name=name, billing_email=email, plan_id=plan_id, timezone=zone,
                          currency=currency, start_date=date(2026, 11, 1), **extra)  # type: ignore[arg-type]


def test_account_bills_in_its_plans_currency(app: InvoiceApplication) -> None:
    plan = app.create_plan(TENANT, "Home", "EUR", "10", [("voice", "minute", "0.02")])
    account = app.open_account(TENANT, opening(plan.id, zone=""))
    assert (account.currency, account.timezone) == ("EUR", "UTC")
    with pytest.raises(InvalidAccountError) as error:
        app.open_account(TENANT, opening(plan.id, "Bob", "bob@example.org", currency="USD"))
    assert error.value.field == "currency"


def test_another_tenants_account_is_not_found(app: InvoiceApplication) -> None:
    plan = app.create_plan(TENANT, "Home", "EUR", "10", [])
    account = app.open_account(TENANT, opening(plan.id))
    with pytest.raises(AccountNotFoundError):
        app.get_account(OTHER, account.id)
    with pytest.raises(InvalidAccountError):
        app.open_account(OTHER, opening(plan.id, "Eve", "eve@example.org"))


@pytest.mark.parametrize(("prices", "field"), [
    ([("sms", "byte", "1")], "usage_prices[0].unit"),
    ([("voice", "minute", "-1")], "usage_prices[0].unit_price"),
    ([("voice", "minute", "x")], "usage_prices[0].unit_price"),
    ([("voice", "minute", "1"), ("voice", "second", "1")], "usage_prices[1].service_type"),
])
def test_bad_prices_name_the_field_and_save_nothing(
    app: InvoiceApplication, prices: list[tuple[str, str, str]], field: str
) -> None:
    with pytest.raises(InvalidPlanError) as error:
        app.create_plan(TENANT, "Home", "EUR", "10", prices)
    assert error.value.field == field
    assert list(app.notification_log.select(1, 10)) == []


@pytest.mark.parametrize(("name", "email", "zone", "field"), [
    ("", "a@example.org", "UTC", "name"),
    ("Ada", "not-an-email", "UTC", "billing_email"),
    ("Ada", "a@example.org", "Mars/Olympus", "timezone"),
])
def test_bad_account_fields_are_refused(
    app: InvoiceApplication, name: str, email: str, zone: str, field: str
) -> None:
    plan = app.create_plan(TENANT, "Home", "EUR", "10", [])
    with pytest.raises(InvalidAccountError) as error:
        app.open_account(TENANT, opening(plan.id, name, email, zone))
    assert error.value.field == field
