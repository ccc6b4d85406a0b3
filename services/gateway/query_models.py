"""Request bodies of the billing query routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from services.gateway.models import MoneyBody, Strict

Category = Literal["charge_not_recognised", "wrong_amount", "usage_not_made", "payment_missing", "other"]
Text = Field(min_length=1, max_length=10_000)


class QueryCreate(Strict):
    """A billing query on an account, one of its invoices, or one invoice line."""

    account_id: str | None = Field(default=None, description="required for staff; customers: their own")
    invoice_id: str | None = Field(default=None, description="the invoice the query is about")
    line_index: int | None = Field(default=None, ge=0, description="the invoice line (needs invoice_id)")
    category: Category
    subject: str = Field(min_length=1, max_length=200)
    body: str = Text
    disputed_amount: MoneyBody | None = Field(
        default=None, description="needs invoice_id; positive, in the invoice's currency, at most the line's"
                                  " amount (line query) or the invoice total; held out of dunning while open")
    request_id: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="your id of the request: opening again with it returns the same query;"
                    " default the Idempotency-Key header, else a new id")


class CommentCreate(Strict):
    """A comment on a query (or, from staff, a question to the customer)."""

    body: str = Text


class AssignmentSet(Strict):
    """Who works on a query."""

    assignee: str = Field(default="", max_length=200, description="an agent's name or key id; empty: nobody")


class CreditedLineBody(Strict):
    """An amount (net of tax) credited on a line of the query's invoice."""

    line_index: int = Field(ge=0)
    amount: MoneyBody


class ResolutionCreate(Strict):
    """Close a query with an outcome."""

    outcome: Literal["explained", "credit_note", "adjustment"]
    note: str = Field(min_length=1, max_length=10_000, description="what the customer is told")
    credit_lines: list[CreditedLineBody] = Field(
        default_factory=list, max_length=100, description="credit_note: the lines of the query's invoice")
    adjustment: MoneyBody | None = Field(
        default=None, description="adjustment: on the next invoice, negative for a credit; account currency")


class RejectionCreate(Strict):
    """Close a query without a change."""

    reason: str = Text


class SupportPolicySet(Strict):
    """The tenant's response target for billing queries."""

    response_target_hours: int = Field(ge=1, le=720, description="hours within which staff must first answer")
