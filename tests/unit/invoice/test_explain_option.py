"""The account option that itemises invoice PDFs: kept through billing-detail changes, read as off
from details stored before it existed, and carried by the invoices drafted with it."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from services.invoice.application import AccountOpening, InvoiceApplication
from services.invoice.domain.accounts import BillingDetails

TENANT = uuid4()


def test_details_stored_before_the_option_existed_are_not_itemised() -> None:
    old = {"address_lines": ["1 High Street"], "locale": "en", "tax_region": "GB", "tax_id": ""}
    assert BillingDetails.from_dict(old).itemised_invoices is False
    details = BillingDetails.parse(["1 High Street"], "de", "gb", "", itemised_invoices=True)
    assert details.as_dict()["itemised_invoices"] is True
    assert BillingDetails.from_dict(details.as_dict()) == details


def test_the_option_is_kept_through_a_change_of_billing_details_and_replayed() -> None:
    app = InvoiceApplication()
    plan = app.create_plan(TENANT, "Home", "GBP", "10", [])
    account = app.open_account(TENANT, AccountOpening(
        name="Ada", billing_email="ada@example.org", plan_id=plan.id, timezone="Europe/London",
        start_date=date(2026, 3, 1)))
    assert account.details.itemised_invoices is False
    app.update_billing_details(TENANT, account.id, "Ada", "ada@example.org",
                               BillingDetails.parse([], "en", "", "", itemised_invoices=True))
    replayed = app.get_account(TENANT, account.id)
    assert replayed.details.itemised_invoices is True
    plain = BillingDetails.parse([], "en", "", "")
    app.update_billing_details(TENANT, account.id, "Ada", "ada@example.org", plain)
    assert app.get_account(TENANT, account.id).details.itemised_invoices is False
