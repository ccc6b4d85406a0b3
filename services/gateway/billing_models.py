"""Request bodies of account lifecycle, subscriptions, taxes, schedules and credit notes."""

from __future__ import annotations

from pydantic import Field

from services.gateway.models import BillingDetailsFields, Day, Decimal, MoneyBody, Strict


class BillingDetailsUpdate(BillingDetailsFields):
    """The account's billing details, replaced as a whole."""

    name: str = Field(min_length=1, max_length=200)
    billing_email: str = Field(max_length=320)


class StatusChange(Strict):
    """Why the account is suspended or reactivated."""

    reason: str = Field(default="", max_length=500)


class Closing(StatusChange):
    """When and why the account closes."""

    effective_date: Day | None = Field(
        default=None, description="closing date: subscriptions end on it; default today")


class ChargeCreate(Strict):
    """A one-time charge, or a credit when negative, for the account's next invoice."""

    charge_id: str = Field(default="", max_length=200,
                           description="your id of the charge: sending it again changes nothing;"
                                       " default a new id")
    description: str = Field(min_length=1, max_length=200, examples=["Router replacement"])
    amount: MoneyBody = Field(description="negative for a credit; in the account's currency")
    charge_date: Day | None = Field(default=None, description="default today")


class SubscriptionCreate(Strict):
    """A new subscription of the account to a plan."""

    plan_id: str
    start_date: Day | None = Field(
        default=None, description="default today; not before the account's current bill period")


class PlanChange(Strict):
    """Move a subscription to another plan from a date; paid-ahead time is prorated by day."""

    plan_id: str
    effective_date: Day | None = Field(default=None, description="default today")


class SubscriptionCancel(Strict):
    """When a subscription ends."""

    end_date: Day | None = Field(default=None, description="the first day not billed; default today")


class DiscountCreate(Strict):
    """A discount on a subscription for a number of bill cycles."""

    kind: str = Field(examples=["percent", "fixed"], description="percent or fixed")
    value: Decimal = Field(description="percent (0 < v <= 100) or an amount per cycle in the account's"
                                       " currency")
    cycles: int = Field(description="bill cycles it applies to, from the next one charged (1..120)")
    description: str = Field(default="", max_length=200)


class TaxRateSet(Strict):
    """A tax rate of a region from a date."""

    name: str = Field(min_length=1, max_length=50, examples=["VAT"], description="the tax's name on invoices")
    rate_percent: Decimal = Field(examples=["20"], description="0..100")
    mode: str = Field(examples=["exclusive"],
                      description="exclusive (tax added to the prices) or inclusive (prices include it)")
    effective_from: Day = Field(description="first day the rate applies, by bill period end")


class ScheduledRunBody(Strict):
    """Accounts of this cycle day are billed at this local time."""

    cycle_day: int = Field(examples=[1], description="1..31; past the month's end means its last day")
    at: str = Field(default="00:00", pattern=r"^\d{2}:\d{2}$", examples=["02:00"],
                    description="HH:MM in the schedule's timezone")


class ScheduleSet(Strict):
    """The tenant's bill-run schedule."""

    timezone: str = Field(default="UTC", examples=["Europe/London"])
    runs: list[ScheduledRunBody] = Field(min_length=1, max_length=31)


class VoidRequest(Strict):
    """Why the invoice is voided."""

    reason: str = Field(default="", max_length=500)


class CreditLineBody(Strict):
    """An invoice line to credit, by index."""

    line_index: int = Field(examples=[0])
    amount: Decimal | None = Field(
        default=None, description="positive amount before tax; default what is left of the line")


class CreditNoteCreate(Strict):
    """A credit note against lines of an invoice."""

    reason: str = Field(min_length=1, max_length=500)
    lines: list[CreditLineBody] = Field(min_length=1, max_length=500)
