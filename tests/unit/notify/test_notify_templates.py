"""Email templates: shipped defaults in English and German, checks on save, the fallback chain."""

from __future__ import annotations

from dataclasses import replace
from uuid import uuid4

import pytest

from kernel.clock import FixedClock
from kernel.errors import InvalidInputError
from services.notify.defaults import default_template
from services.notify.events import NotificationKind
from services.notify.formatting import customer_locale, locale_from_wire, writing_locale
from services.notify.samples import sample_variables, variable_names
from services.notify.template_book import TemplateBook, TemplateNotFoundError, TemplateSource
from services.notify.templating import EmailTemplate, TemplateRenderError, render_email
from tests.unit.notify.notify_fakes import NOW, InMemoryTemplateStore

INVOICE = NotificationKind.INVOICE_ISSUED
PAID = NotificationKind.PAYMENT_RECEIVED


@pytest.fixture
def book() -> TemplateBook:
    return TemplateBook(InMemoryTemplateStore(), FixedClock(NOW))


def rendered(kind: NotificationKind, language: str, locale: str) -> tuple[str, str, str]:
    email = render_email(default_template(kind, language), sample_variables(kind, locale))
    return email.subject, email.text, email.html


def test_english_invoice_email_words_amounts_and_dates_like_the_english_invoice() -> None:
    subject, text, html = rendered(INVOICE, "en", "en_GB")

    assert subject == "Invoice INV-2025-000042 for 1\u201331 Jan 2025"
    assert "Dear Ada Lovelace," in text
    assert "  Voice calls: 125.5 minute  €2.51" in text
    assert "Amount due: €42.41, payable by 15 February 2025" in text
    assert "The invoice is attached as INV-2025-000042.pdf." in text
    assert '<html lang="en">' in html


def test_german_invoice_email_is_german_with_german_numbers_and_dates() -> None:
    subject, text, html = rendered(INVOICE, "de", "de_DE")

    assert subject == "Ihre Rechnung INV-2025-000042 für 1.\u201331. Jan. 2025"
    assert "Guten Tag Ada Lovelace," in text
    assert "  Voice calls: 125,5 minute  2,51\xa0€" in text
    assert "Zu zahlender Betrag: 42,41\xa0€, fällig am 15. Februar 2025" in text
    assert '<html lang="de">' in html


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("kind", list(NotificationKind))
def test_every_shipped_template_passes_its_own_checks(kind: NotificationKind, language: str) -> None:
    subject, text, html = rendered(kind, language, writing_locale(language))

    assert subject and "\n" not in subject
    assert "Ada Lovelace" in text
    assert "Ada Lovelace" in html


def test_values_are_escaped_in_html_but_not_in_text_or_subject() -> None:
    variables = {**sample_variables(PAID, "en_GB"), "customer_name": "<b>Evil & Co</b>"}
    template = EmailTemplate("Hello {{ customer_name }}", "Dear {{ customer_name }}",
                             "<p>Dear {{ customer_name }}</p>")

    email = render_email(template, variables)

    assert email.html == "<p>Dear &lt;b&gt;Evil &amp; Co&lt;/b&gt;</p>"
    assert email.text == "Dear <b>Evil & Co</b>"
    assert email.subject == "Hello <b>Evil & Co</b>"


def test_a_subject_is_one_line_whatever_the_template_renders() -> None:
    variables = {**sample_variables(PAID, "en_GB"), "customer_name": "Ada\r\nBcc: x@example.org"}
    template = EmailTemplate("Hi {{ customer_name }}\n", "t", "h")

    assert render_email(template, variables).subject == "Hi Ada Bcc: x@example.org"


def test_an_undefined_variable_at_send_time_is_a_template_error() -> None:
    template = EmailTemplate("Invoice {{ total }}", "{{ amount }}", "{{ amount }}")

    with pytest.raises(TemplateRenderError) as failed:
        render_email(template, sample_variables(PAID, "en_GB"))

    assert failed.value.part == "subject"
    assert failed.value.reason == "template_error: subject: UndefinedError: 'total' is undefined"


def test_the_sandbox_refuses_reaching_into_python_internals() -> None:
    template = EmailTemplate("x", "{{ amount.__class__.__mro__ }}", "h")

    with pytest.raises(TemplateRenderError, match="SecurityError"):
        render_email(template, sample_variables(PAID, "en_GB"))


def good_template() -> EmailTemplate:
    return EmailTemplate("Thanks for {{ amount }}", "Dear {{ customer_name }}, thanks.\n",
                         "<p>Dear {{ customer_name }}, thanks.</p>")


@pytest.mark.parametrize(("template", "field", "reason"), [
    (replace(good_template(), text="Dear {{ customer_name }"), "text",
     "syntax_error: unexpected '}' (line 1)"),
    (replace(good_template(), html="{% if amount %}<p>x</p>"), "html",
     "syntax_error: Unexpected end of template. Jinja was looking for the following tags: "
     "'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'. (line 1)"),
    (replace(good_template(), subject="{{ total }} for {{ period }}"), "subject",
     "unknown_variable: period, total"),
    (replace(good_template(), text="{{ customer_name.nickname }}"), "text",
     "render_error: UndefinedError: 'str object' has no attribute 'nickname'"),
    (replace(good_template(), subject="  "), "subject", "required"),
    (replace(good_template(), html=""), "html", "required"),
    (replace(good_template(), text="x" * 100_001), "text", "longer_than_100000_characters"),
    (replace(good_template(), subject="{{ '' }}"), "subject", "render_error: renders empty"),
])
async def test_a_bad_template_is_refused_naming_the_part_and_the_reason(
    book: TemplateBook, template: EmailTemplate, field: str, reason: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        await book.put(uuid4(), PAID, "en", template)

    assert (refused.value.field, refused.value.reason) == (field, reason)


def test_each_kind_offers_its_own_variables_and_the_common_ones() -> None:
    common = {"customer_name", "account_id", "occurred_on", "attachments"}

    assert variable_names(INVOICE) == common | {
        "invoice_number", "period", "issue_date", "due_date", "total", "amount_due", "lines"}
    assert variable_names(NotificationKind.PAYMENT_FAILED) == common | {
        "amount", "method", "payment_reference", "payment_id", "invoice_number", "failure_reason"}
    assert variable_names(NotificationKind.ACCOUNT_SUSPENDED) == common | {
        "days_overdue", "amount_overdue", "invoices"}
    assert variable_names(NotificationKind.DUNNING_REMINDER) == (
        variable_names(NotificationKind.ACCOUNT_SUSPENDED) | {"reminder_step"})


@pytest.mark.parametrize(("tag", "canonical"), [
    ("de", "de"), ("de-AT", "de_AT"), ("de_at", "de_AT"), ("en_GB", "en_GB"), ("fr", "fr")])
def test_locales_are_read_in_babel_form(tag: str, canonical: str) -> None:
    assert locale_from_wire(tag) == canonical


@pytest.mark.parametrize("tag", ["", "xx", "de_DE_x", "klingon"])
def test_an_unknown_locale_is_refused_on_save_and_read_as_english_for_customers(tag: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        locale_from_wire(tag)

    assert (refused.value.field, refused.value.reason) == ("locale", "unknown_locale")
    assert customer_locale(tag) == "en"


async def stored_for(book: TemplateBook, tenant: object, locale: str, word: str) -> None:
    template = replace(good_template(), subject=f"{word} {{{{ amount }}}}")
    await book.put(tenant, PAID, locale, template)  # type: ignore[arg-type]


async def test_fallback_chain_tenant_locale_then_language_then_default_then_english(
    book: TemplateBook,
) -> None:
    tenant = uuid4()

    shipped_german = await book.resolve(tenant, PAID, "de_AT")
    shipped_english = await book.resolve(tenant, PAID, "fr_CA")
    await stored_for(book, tenant, "de", "Sprache")
    by_language = await book.resolve(tenant, PAID, "de_AT")
    await stored_for(book, tenant, "de_AT", "Österreich")
    by_locale = await book.resolve(tenant, PAID, "de_AT")
    other_tenant = await book.resolve(uuid4(), PAID, "de_AT")

    assert (shipped_german.stored.source, shipped_german.stored.locale) == (TemplateSource.DEFAULT, "de")
    assert shipped_german.writing_locale == "de_AT"
    assert (shipped_english.stored.source, shipped_english.stored.locale) == (
        TemplateSource.DEFAULT, "en")
    assert shipped_english.writing_locale == "en_GB"
    assert by_language.stored.template.subject.startswith("Sprache")
    assert by_locale.stored.template.subject.startswith("Österreich")
    assert other_tenant.stored.source is TemplateSource.DEFAULT


async def test_deleting_the_tenants_template_falls_back_and_deleting_twice_is_not_found(
    book: TemplateBook,
) -> None:
    tenant = uuid4()
    await stored_for(book, tenant, "en", "Mine")

    await book.delete(tenant, PAID, "en")

    assert (await book.get(tenant, PAID, "en")).source is TemplateSource.DEFAULT
    with pytest.raises(TemplateNotFoundError):
        await book.delete(tenant, PAID, "en")


async def test_stored_templates_are_listed_per_tenant_and_kind(book: TemplateBook) -> None:
    tenant = uuid4()
    await stored_for(book, tenant, "en", "A")
    await stored_for(book, tenant, "de", "B")

    listed = await book.list_templates(tenant, PAID)

    assert [(t.kind, t.locale, t.updated_at) for t in listed] == [(PAID, "de", NOW), (PAID, "en", NOW)]
    assert await book.list_templates(tenant, INVOICE) == []
    assert await book.list_templates(uuid4(), None) == []


async def test_preview_renders_a_draft_part_over_the_current_template(book: TemplateBook) -> None:
    draft = EmailTemplate("Merci {{ customer_name }}", "", "")

    preview, locale = await book.preview(uuid4(), PAID, "de", draft)

    assert preview.subject == "Merci Ada Lovelace"
    assert "Ihre Zahlung über 42,41\xa0€" in preview.text
    assert locale == "de_DE"


async def test_preview_of_a_broken_draft_names_the_part(book: TemplateBook) -> None:
    with pytest.raises(InvalidInputError) as refused:
        await book.preview(uuid4(), PAID, "en", EmailTemplate("", "{{ nope }}", ""))

    assert (refused.value.field, refused.value.reason) == ("text", "unknown_variable: nope")
