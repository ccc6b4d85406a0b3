"""Request bodies of dunning: the tenant's policy and runs on demand."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from services.gateway.models import Currency, Day, Decimal, Strict

DayCount = Annotated[StrictInt, Field(ge=1, le=365, description="days after the due date, 1..365")]


class LateFeeBody(Strict):
    """A late fee charged once per overdue episode: a percent and/or a fixed amount per currency."""

    percent: Decimal | None = Field(default=None, examples=["2.5"],
                                    description="percent of the overdue amount, 0 < percent <= 25")
    fixed: dict[Currency, Decimal] = Field(default_factory=dict, max_length=32,
                                           examples=[{"GBP": "5.00"}],
                                           description="a fixed amount per billing currency")
    after_days: DayCount = Field(description="days overdue when the fee is charged")


class DunningPolicySet(Strict):
    """The tenant's dunning policy, replaced as a whole."""

    reminder_days: list[DayCount] = Field(max_length=10, examples=[[1, 7, 14]],
                                          description="days overdue of each reminder, increasing")
    retry_days: list[DayCount] = Field(max_length=10, examples=[[3, 10]],
                                       description="days overdue of each retry with the stored payment"
                                                   " method, increasing")
    late_fee: LateFeeBody | None = Field(default=None, description="absent or null: no late fee")
    suspend_after_days: DayCount | None = Field(examples=[21],
                                                description="days overdue when the account is"
                                                            " suspended; null: never")


class DunningRunCreate(Strict):
    """Dun the tenant's accounts as of a date, now."""

    date: Day | None = Field(default=None, description="default today (UTC); a later date only outside"
                                                       " production")
