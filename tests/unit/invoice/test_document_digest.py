"""The document digest is the SHA-256 of one canonical JSON, byte for byte as it was first written
(json.dumps over to_jsonable): a digest stored at issue must verify for ever."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from kernel.eventstore import to_jsonable
from kernel.money import Money
from services.invoice.documents import digest

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
amounts = st.decimals(min_value=-10**9, max_value=10**9, places=6, allow_nan=False, allow_infinity=False)
money = st.builds(Money, amounts, st.sampled_from(["GBP", "EUR", "JPY"]))
lines = st.fixed_dictionaries({
    "kind": st.sampled_from(["usage", "tax", "recurring", "prior_period"]), "description": texts,
    "amount": money, "quantity": amounts.map(str), "unit": texts, "record_count": st.integers(0, 10**9),
    "digest": texts, "tax_included": st.booleans(), "covers_start": texts,
})
contents = st.fixed_dictionaries({
    "number": texts, "issue_date": st.none() | st.dates(), "due_date": st.none() | st.dates(),
    "period_start": st.dates(), "period_end": st.dates(), "account_id": st.uuids(),
    "account_name": texts, "billing_email": texts,
    "details": st.fixed_dictionaries({"address_lines": st.lists(texts, max_size=6), "locale": texts,
                                      "itemised_invoices": st.booleans()}),
    "currency": st.sampled_from(["GBP", "EUR"]), "lines": st.lists(lines, max_size=8),
    "subtotal": money, "tax_total": money, "total": money,
    "finalized_at": st.datetimes(timezones=st.just(UTC)),
})


def first_digest(content: dict[str, Any]) -> str:
    """The digest as invoices issued before orjson were digested."""
    text = json.dumps(to_jsonable(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@given(contents)
def test_the_digest_is_byte_for_byte_the_first_encoding(content: dict[str, Any]) -> None:
    assert digest(content) == first_digest(content)


def test_an_issued_invoice_digest_stays_the_same() -> None:
    content = {
        "number": "INV-00000042", "issue_date": date(2026, 11, 1), "due_date": date(2026, 11, 15),
        "account_id": UUID("5b0e3a52-3f4c-4c8e-9a53-0c1f7f0c2a11"), "account_name": "Müller & Söhne\n",
        "total": Money(Decimal("51.94"), "GBP"), "finalized_at": datetime(2026, 11, 1, 9, 30, 0, 5, UTC),
        "lines": [{"kind": "usage", "description": "Anrufe \u2028 \x1f",
                   "amount": Money(Decimal("-0.000125"), "EUR")}],
    }
    assert digest(content) == first_digest(content)
