"""Request and response bodies of the public API (unknown fields are refused)."""

from __future__ import annotations

from typing import Annotated, Any

from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

Decimal = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$", examples=["12.50"],
                               description="decimal number as a string")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", examples=["2026-11-01"])]
AddressLine = Annotated[str, Field(max_length=200)]
Scalar = StrictStr | StrictInt | StrictFloat
Identity = Annotated[StrictStr, Field(
    min_length=1, max_length=200, examples=["+442071838750"],
    description="E.164 number, username or circuit id; 1..64 printable characters, no whitespace",
)]


class Strict(BaseModel):
    """A body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class MoneyBody(Strict):
    """An amount and its currency."""

    amount: Decimal
    currency: Currency


class UsagePriceBody(Strict):
    """The price of one unit of a service type."""

    service_type: str = Field(examples=["voice"])
    unit: str = Field(examples=["minute"])
    unit_price: Decimal


class PlanCreate(Strict):
    """A new plan."""

    name: str = Field(min_length=1, max_length=200)
    currency: Currency
    recurring_fee: Decimal
    usage_prices: list[UsagePriceBody] = Field(default_factory=list, max_length=32)
    rate_plan_id: str | None = Field(
        default=None, description="versioned rate plan pricing the usage (replaces usage_prices)")


class BillingDetailsFields(Strict):
    """Where and how an account is billed: postal address, locale, tax region and itemisation."""

    address_lines: list[AddressLine] = Field(default_factory=list, max_length=6,
                                             examples=[["1 High Street", "London", "N1 9GU"]])
    locale: str = Field(default="", max_length=35, examples=["en", "de_DE"],
                        description="Babel locale of the documents; empty means en")
    tax_region: str = Field(default="", max_length=32, examples=["GB"],
                            description="a tax region of the tenant (PUT /v1/tax-regions); empty: no tax")
    tax_id: str = Field(default="", max_length=64, description="the customer's VAT or tax number")
    itemised_invoices: StrictBool = Field(
        default=False, description="invoice PDFs gain itemisation pages: every usage entry, the"
                                   " recurring arithmetic and the allowances (docs/explanations.md)")


class AccountCreate(BillingDetailsFields):
    """A new account subscribed to a plan."""

    name: str = Field(min_length=1, max_length=200)
    billing_email: str = Field(max_length=320)
    plan_id: str
    timezone: str = "UTC"
    currency: Currency | None = None
    identities: list[Identity] = Field(
        default_factory=list, max_length=100,
        description="subscriber identities naming the account in usage records; saved with it",
    )
    bill_cycle_day: int | None = Field(
        default=None, ge=1, le=31,
        description="day of the month its bill periods end on, one of the schedule's cycle days;"
                    " default the schedule's first day")
    parent_account_id: str | None = Field(
        default=None, description="a parent account (same currency) whose invoice carries this one's charges")
    start_date: Day | None = Field(default=None, description="start of the plan subscription; default today")


class IdentityAssign(Strict):
    """A subscriber identity for an account."""

    identity: Identity


class UsageRecordBody(BaseModel):
    """A usage record; its content is checked per record by the usage service."""

    model_config = ConfigDict(extra="allow")

    record_id: Scalar = ""
    source: Scalar = ""
    account_id: Scalar = ""
    subscriber: Scalar = Field(default="", description="E.164 number, username or circuit id")
    service_type: Scalar = ""
    quantity: Scalar = ""
    unit: Scalar = ""
    started_at: Scalar = ""
    ended_at: Scalar = ""
    duration: Scalar = Field(default="", description="seconds")
    price: Scalar = Field(default="", description="price set upstream (pre-rated), decimal")
    currency: Scalar = ""
    attributes: dict[str, Scalar] = Field(default_factory=dict)


class UsageBatch(Strict):
    """Up to 10,000 usage records, optionally labelled with the file they came from."""

    records: list[UsageRecordBody] = Field(min_length=1, max_length=10_000)
    file: str = Field(default="", max_length=200, description="label the batch is reconciled under")


class Resubmission(Strict):
    """A rejected record submitted again: corrected, or as stored when absent."""

    record: UsageRecordBody | None = None


class BillRunCreate(Strict):
    """Bill every account whose bill period ends on bill_date."""

    bill_date: Day = Field(description="the first day after the billed periods, not after today")


class ApiKeyCreate(Strict):
    """A new API key of the caller's tenant."""

    role: str
    label: str = Field(min_length=1, max_length=200)
    account_id: str | None = None


def jsonable(message: Any) -> dict[str, Any]:
    """A protobuf message as a JSON object with the proto field names."""
    result: dict[str, Any] = MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    return result


def bill_run_json(bill_run: Any) -> dict[str, Any]:
    """A bill run as JSON, its usage watermark a number (protobuf JSON makes 64-bit integers text)."""
    body = jsonable(bill_run)
    body["usage_watermark"] = int(bill_run.usage_watermark)
    return body
