"""Emails about billing queries: shipped English and German templates, their variables, checks on save."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.clock import FixedClock
from kernel.errors import InvalidInputError
from kernel.money import Money
from services.notify.defaults import default_template
from services.notify.events import CustomerEvent, EventFacts, NotificationKind
from services.notify.formatting import Formats
from services.notify.samples import variable_names
from services.notify.sources import AccountContact, InvoiceLine, InvoiceSummary, QuerySummary
from services.notify.template_book import TemplateBook
from services.notify.templating import EmailTemplate, RenderedEmail, render_email
from services.notify.variables import EmailFacts, email_variables
from tests.unit.notify.notify_fakes import NOW, InMemoryTemplateStore

ASKED = NotificationKind.QUERY_AWAITING_CUSTOMER
RESOLVED = NotificationKind.QUERY_RESOLVED
REJECTED = NotificationKind.QUERY_REJECTED
QUERY_KINDS = (ASKED, RESOLVED, REJECTED)
ACCOUNT = AccountContact(uuid4(), "Grace Hopper", "grace@example.org", "en")
INVOICE = InvoiceSummary(
    invoice_id=uuid4(), account_id=ACCOUNT.account_id, number="INV-2025-001234",
    period_start=date(2025, 2, 1), period_end=date(2025, 3, 1), issue_date=date(2025, 3, 1),
    due_date=date(2025, 3, 15),
    lines=(InvoiceLine("Fibre 1G monthly fee", Decimal(1), "period", Money.of("1234.50", "EUR")),),
    total=Money.of("1234.50", "EUR"), amount_due=Money.of("1234.50", "EUR"),
)
ON_INVOICE = QuerySummary(uuid4(), ACCOUNT.account_id, INVOICE.invoice_id, "Fee charged twice")
ON_ACCOUNT = QuerySummary(uuid4(), ACCOUNT.account_id, None, "Outage last week")


def email(
    kind: NotificationKind, facts: EventFacts, language: str, locale: str,
    query: QuerySummary = ON_INVOICE,
) -> RenderedEmail:
    """The shipped template of a language rendered for an event of 3 March 2025 on the query."""
    event = CustomerEvent(
        event_id="support:41", tenant_id=uuid4(), kind=kind, aggregate_id=query.query_id,
        occurred_at=datetime(2025, 3, 3, 17, 45, tzinfo=UTC), facts=facts,
    )
    invoices = (INVOICE,) if query.invoice_id else ()
    variables = email_variables(EmailFacts(event, ACCOUNT, invoices, (), query), Formats(locale))
    return render_email(default_template(kind, language), variables)


def test_the_question_email_quotes_the_agent_and_names_the_query_and_invoice() -> None:
    asked = email(ASKED, EventFacts(question="Which of the two payments\nis yours?"), "en", "en_GB")

    assert asked.subject == "We need your reply: Fee charged twice"
    assert 'your query "Fee charged twice" about invoice INV-2025-001234, our support team needs' \
        in asked.text
    assert "\nWhich of the two payments\nis yours?\n" in asked.text
    assert "Which of the two payments\nis yours?</blockquote>" in asked.html


def test_the_question_email_in_german_names_no_invoice_for_a_query_on_the_account() -> None:
    asked = email(ASKED, EventFacts(question="Seit wann besteht die Störung?"), "de", "de_DE",
                  ON_ACCOUNT)

    assert asked.subject == "Wir benötigen Ihre Antwort: Outage last week"
    assert "Guten Tag Grace Hopper," in asked.text
    assert "um Ihre Anfrage „Outage last week“ weiter zu bearbeiten" in asked.text
    assert "Rechnung" not in asked.text
    assert "Seit wann besteht die Störung?" in asked.html


def test_a_credit_note_resolution_names_the_note_and_its_amount_by_locale() -> None:
    facts = EventFacts(amount=Money.of("1234.50", "EUR"), outcome="credit_note",
                       credit_note_number="CN-2025-000031", note="You were charged twice.")

    english = email(RESOLVED, facts, "en", "en_GB")
    german = email(RESOLVED, facts, "de", "de_DE")

    assert english.subject == "Your query is resolved: Fee charged twice"
    assert "about invoice INV-2025-001234 was resolved on 3 March 2025." in english.text
    assert "We have issued credit note CN-2025-000031 of €1,234.50." in english.text
    assert "Our note:\n\nYou were charged twice.\n" in english.text
    assert "credit note CN-2025-000031 of <strong>€1,234.50</strong>" in english.html
    assert german.subject == "Ihre Anfrage ist erledigt: Fee charged twice"
    assert "zur Rechnung INV-2025-001234 wurde am 3. März 2025 erledigt." in german.text
    assert "Wir haben die Gutschrift CN-2025-000031 über 1.234,50\xa0€ ausgestellt." in german.text


@pytest.mark.parametrize(("amount", "english", "german"), [
    ("-1.50", "An adjustment of £1.50 in your favour will be credited on your next invoice.",
     "Ihre nächste Rechnung enthält eine Korrektur über 1,50\xa0£ zu Ihren Gunsten."),
    ("7.25", "An adjustment of £7.25 will be charged on your next invoice.",
     "Ihre nächste Rechnung enthält eine Korrektur über 7,25\xa0£ zu Ihren Lasten."),
])
def test_an_adjustment_says_whether_the_next_invoice_is_credited_or_charged(
    amount: str, english: str, german: str
) -> None:
    facts = EventFacts(amount=Money.of(amount, "GBP"), outcome="adjustment", note="Three days.")

    assert english in email(RESOLVED, facts, "en", "en_GB", ON_ACCOUNT).text
    assert german in email(RESOLVED, facts, "de", "de_DE", ON_ACCOUNT).text


def test_an_explained_query_says_the_bill_stays_as_it_is() -> None:
    facts = EventFacts(outcome="explained", note="The fee rose in January, as announced.")

    english = email(RESOLVED, facts, "en", "en_GB")
    german = email(RESOLVED, facts, "de", "de_DE")

    assert "We have looked into it and explained the charges; your bill stays as it is." in english.text
    assert "The fee rose in January, as announced." in english.text
    assert "credit" not in english.text.lower()
    assert "Ihre Rechnung bleibt unverändert." in german.text


def test_a_rejection_gives_the_reason_in_both_languages() -> None:
    facts = EventFacts(note="Both payments were for different invoices.")

    english = email(REJECTED, facts, "en", "en_GB")
    german = email(REJECTED, facts, "de", "de_AT")

    assert english.subject == "Your query was declined: Fee charged twice"
    assert "closed it on 3 March 2025 without a change to your bill, for this reason:\n\n" \
           "Both payments were for different invoices.\n" in english.text
    assert german.subject == "Ihre Anfrage wurde abgelehnt: Fee charged twice"
    assert "am 3. März 2025 ohne Änderung Ihrer Rechnung abgeschlossen" in german.text
    assert "Both payments were for different invoices." in german.html


def test_agent_text_is_escaped_in_html_and_a_subject_stays_one_line() -> None:
    sneaky = QuerySummary(uuid4(), ACCOUNT.account_id, None, "Bill\r\nBcc: x@example.org")

    asked = email(ASKED, EventFacts(question="<a href='x'>click</a> & pay"), "en", "en_GB", sneaky)

    assert asked.subject == "We need your reply: Bill Bcc: x@example.org"
    assert "&lt;a href=&#39;x&#39;&gt;click&lt;/a&gt; &amp; pay" in asked.html
    assert "<a href='x'>click</a> & pay" in asked.text


@pytest.mark.parametrize(("kind", "names"), [
    (ASKED, {"question", "query_subject", "query_id", "invoice_number"}),
    (RESOLVED, {"outcome", "note", "credit_note_number", "amount", "adjustment_is_credit",
                "query_subject", "query_id", "invoice_number"}),
    (REJECTED, {"reason", "query_subject", "query_id", "invoice_number"}),
])
def test_each_query_kind_offers_its_variables_and_the_common_ones(
    kind: NotificationKind, names: set[str]
) -> None:
    common = {"customer_name", "account_id", "occurred_on", "attachments"}

    assert variable_names(kind) == frozenset(names | common)


@pytest.fixture
def book() -> TemplateBook:
    return TemplateBook(InMemoryTemplateStore(), FixedClock(NOW))


@pytest.mark.parametrize(("kind", "foreign"), [
    (ASKED, "note"), (ASKED, "amount_overdue"), (RESOLVED, "question"), (RESOLVED, "reason"),
    (REJECTED, "credit_note_number"), (REJECTED, "question"),
])
async def test_saving_a_query_template_refuses_variables_of_other_kinds(
    book: TemplateBook, kind: NotificationKind, foreign: str
) -> None:
    template = EmailTemplate("About {{ query_subject }}", "Dear {{ customer_name }}, {{ " + foreign + " }}",
                             "<p>{{ customer_name }}</p>")

    with pytest.raises(InvalidInputError) as refused:
        await book.put(uuid4(), kind, "en", template)

    assert (refused.value.field, refused.value.reason) == ("text", f"unknown_variable: {foreign}")


@pytest.mark.parametrize("kind", QUERY_KINDS)
async def test_a_tenant_template_of_a_query_kind_is_stored_and_chosen(
    book: TemplateBook, kind: NotificationKind
) -> None:
    tenant_id = uuid4()
    template = EmailTemplate("[{{ query_subject }}] {{ invoice_number }}",
                             "Hallo {{ customer_name }}", "<p>Hallo {{ customer_name }}</p>")

    await book.put(tenant_id, kind, "de", template)
    preview, locale = await book.preview(tenant_id, kind, "de_AT", EmailTemplate("", "", ""))

    assert (preview.subject, locale) == ("[Voice calls I did not make] INV-2025-000042", "de_AT")
