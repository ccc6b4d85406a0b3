"""Reading many aggregates in one query on real PostgreSQL, as rating contexts are answered."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.invoice.application import AccountOpening, InvoiceApplication
from services.invoice.domain.accounts import Account

TENANT, OTHER = uuid4(), uuid4()


def open_one(app: InvoiceApplication, tenant_id: object, name: str) -> Account:
    plan = app.create_plan(tenant_id, f"Plan {name}", "EUR", "5", [("voice", "minute", "0.02")])
    return app.open_account(tenant_id, AccountOpening(
        name=name, billing_email=f"{name}@example.org", plan_id=plan.id, timezone="Europe/Paris",
        start_date=date(2026, 11, 1), identities=[f"+3361234{len(name):04d}"]))


def test_the_tenants_accounts_come_back_as_last_saved_and_nothing_else(app: InvoiceApplication) -> None:
    ada, bob = open_one(app, TENANT, "ada"), open_one(app, TENANT, "bobby")
    suspended = app.change_status(TENANT, bob.id, "suspend", date(2026, 11, 20), "unpaid", None)
    theirs = open_one(app, OTHER, "carol")

    found = app.load_many(Account, TENANT, [ada.id, bob.id, theirs.id, ada.plan_id, uuid4()])

    assert set(found) == {ada.id, bob.id}
    assert found[bob.id].status == suspended.status != ada.status
    assert found[bob.id].version == suspended.version
    assert (found[ada.id].plan_id, found[ada.id].timezone) == (ada.plan_id, "Europe/Paris")
