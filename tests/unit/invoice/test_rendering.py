"""Invoice rendering: one template to HTML and PDF, localized, escaped, paginated."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from xml.etree.ElementTree import fromstring

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from kernel.money import Money
from services.invoice.rendering import (
    DocumentLine,
    InvoiceDocument,
    Party,
    TaxRow,
    render_html,
    render_pdf,
)
from services.invoice.rendering.bands import Band, paginate
from services.invoice.rendering.embedding import font_faces
from services.invoice.rendering.locales import negotiate

SELLER = Party("Nordlicht Telekom GmbH", ("Friedrichstraße 200", "10117 Berlin"),
               "billing@nordlicht.example", "DE123456789")
DASH = "\u2013"
CUSTOMER = Party("Łukasz Żółć", ("ul. Marszałkowska 104/122", "00-017 Warszawa"), "lukasz@example.org")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def invoice(locale: str = "en", lines: int = 3, **changes: object) -> InvoiceDocument:
    """A finalized invoice of 1,000.00 + 19 % VAT = 1,190.00, the period October 2026."""
    document_lines = tuple(
        DocumentLine("usage", f"Calls to mobile networks {index + 1}", Decimal("1234.5"), "min",
                     eur("1000.00") if index == 0 else eur("0.00"), f"1{DASH}31 Oct", "1,234 records")
        for index in range(lines))
    document = InvoiceDocument(
        kind="invoice", number="INV-2026-000042", status="issued",
        issue_date=date(2026, 11, 1), due_date=date(2026, 10, 31),
        period_start=date(2026, 10, 1), period_end=date(2026, 11, 1),
        seller=SELLER, customer=CUSTOMER, currency="EUR", locale=locale, lines=document_lines,
        subtotal=eur("1000.00"),
        taxes=(TaxRow("VAT", Decimal(19), eur("1000.00"), eur("190.00"), included=False),),
        total=eur("1190.00"), amount_paid=eur("0.00"), amount_due=eur("1190.00"))
    return replace(document, **changes)  # type: ignore[arg-type]


def credit_note(locale: str = "en") -> InvoiceDocument:
    return invoice(locale, kind="credit_note", number="CN-2026-000007", reference="INV-2026-000042",
                   due_date=None, total=eur("-1190.00"), subtotal=eur("-1000.00"),
                   amount_due=eur("0.00"),
                   taxes=(TaxRow("VAT", Decimal(19), eur("-1000.00"), eur("-190.00"), False),))


def pdf_pages(document: InvoiceDocument) -> list[str]:
    """The text of each page, no-break spaces read as spaces."""
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    return [page.extract_text().replace("\u00a0", " ").replace("\u202f", " ") for page in reader.pages]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_html_shows_number_total_and_dates_in_english() -> None:
    html = plain(render_html(invoice("en")))
    assert "INV-2026-000042" in html
    assert "€1,190.00" in html
    assert "31 October 2026" in html
    assert "1 November 2026" in html
    assert f"1{DASH}31 Oct 2026" in html
    assert '<html lang="en">' in html


def test_html_is_german_for_a_german_invoice() -> None:
    html = plain(render_html(invoice("de")))
    for wording in ("Rechnung", "Rechnungsnummer", "Gesamtbetrag", "Zu zahlender Betrag",
                    "Leistungszeitraum", "Fällig am", "Zwischensumme"):
        assert wording in html
    assert "1.190,00 €" in html
    assert "31. Oktober 2026" in html
    assert f"1.{DASH}31. Okt. 2026" in html
    assert "1.234,5" in html
    assert "USt-IdNr. DE123456789" in html


def test_html_escapes_what_customers_type() -> None:
    hostile = Party("<script>alert('x')</script>", ('"><img src=x onerror=alert(1)>',), "a&b@example.org")
    html = render_html(invoice(customer=hostile))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "a&amp;b@example.org" in html


def test_markup_of_every_document_is_well_formed() -> None:
    hostile = Party("<b>&amp; & ]]>", ("Straße", ), "x@example.org")
    for document in (invoice("de", customer=hostile), credit_note("en")):
        root = fromstring(render_html(document))  # noqa: S314 - our own output
        assert root.tag == "html"


def test_pdf_prints_number_customer_and_total_in_german() -> None:
    [page] = pdf_pages(invoice("de"))
    assert "Rechnung" in page
    assert "INV-2026-000042" in page
    assert "Łukasz Żółć" in page
    assert "ul. Marszałkowska 104/122" in page
    assert "1.190,00 €" in page
    assert "31. Oktober 2026" in page
    assert "Seite 1 von 1" in page


def test_pdf_prints_english_amounts_and_symbols() -> None:
    document = invoice("en", currency="GBP", subtotal=Money.of("1000.00", "GBP"),
                       total=Money.of("1190.00", "GBP"), amount_due=Money.of("1190.00", "GBP"))
    [page] = pdf_pages(document)
    assert "Invoice" in page
    assert "£1,190.00" in page
    assert "Page 1 of 1" in page


def test_pdf_is_a_valid_document_with_embedded_fonts() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(invoice("de"))))
    assert reader.metadata is not None
    assert reader.metadata.title == "Rechnung INV-2026-000042"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for reference in fonts.values():
        descendant = reference.get_object()["/DescendantFonts"][0].get_object()
        data = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        font = TTFont(io.BytesIO(data), checkChecksums=2)
        assert font["maxp"].numGlyphs < 200
        for name in font.getGlyphOrder():
            font["glyf"][name]


def test_credit_note_has_its_own_wording() -> None:
    html = plain(render_html(credit_note("en")))
    assert "Credit note" in html
    assert "Credit note number" in html
    assert "Credited invoice" in html
    assert "This credit note reduces invoice INV-2026-000042." in html
    assert "Total credited" in html
    assert "-€1,190.00" in html
    assert "Amount due" not in html
    assert "Due date" not in html


def test_credit_note_pdf_is_german_too() -> None:
    [page] = pdf_pages(credit_note("de"))
    assert "Gutschrift" in page
    assert "Gutschriftsbetrag" in page
    assert "-1.190,00 €" in page
    assert "Zu zahlender Betrag" not in page


def test_included_tax_is_shown_but_not_added() -> None:
    included = TaxRow("VAT", Decimal(20), eur("1000.00"), eur("166.67"), included=True)
    document = invoice("en", taxes=(included,), total=eur("1000.00"), amount_due=eur("1000.00"))
    html = plain(render_html(document))
    assert "VAT 20% incl." in html
    assert '<tr class="included"><td>VAT 20% incl.</td><td class="num">€166.67</td></tr>' in html
    assert '<tr class="grand"><td>Total</td><td class="num">€1,000.00</td></tr>' in html
    [page] = pdf_pages(document)
    assert "VAT 20% incl. €166.67" in page
    assert "Total €1,000.00" in page
    german = plain(render_html(replace(document, locale="de")))
    assert "inkl. VAT 20 %" in german


def test_long_invoice_paginates_with_header_and_totals_intact() -> None:
    pages = pdf_pages(invoice("en", lines=200))
    assert len(pages) > 3
    assert "Łukasz Żółć" in pages[0]
    assert "Invoice number" in pages[0]
    for number, page in enumerate(pages, start=1):
        if "Calls to mobile networks" in page:
            assert "Description Period Quantity Unit Amount" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Invoice INV-2026-000042" in page
    text = "\n".join(pages)
    assert all(f"Calls to mobile networks {index}\n" in text for index in range(1, 201))
    for wording in ("Subtotal €1,000.00", "VAT 19% on €1,000.00 €190.00", "Total €1,190.00",
                    "Amount due €1,190.00"):
        assert wording in pages[-1]


def test_unknown_locale_falls_back_to_english() -> None:
    html = plain(render_html(invoice("xx-ZZ")))
    assert "Invoice number" in html
    assert "€1,190.00" in html
    assert '<html lang="en">' in html
    [page] = pdf_pages(invoice("xx-ZZ"))
    assert "Invoice" in page


@pytest.mark.parametrize(("tag", "expected"), [
    ("de", "de_DE"), ("de-AT", "de_AT"), ("de_CH", "de_CH"), ("en", "en_GB"), ("en-US", "en_US"),
    ("fr", "en_GB"), ("xx-ZZ", "en_GB"), ("", "en_GB"), ("not a locale", "en_GB"),
])
def test_locale_negotiation_is_explicit(tag: str, expected: str) -> None:
    localization = negotiate(tag)
    assert localization.tag == expected
    assert localization.label("total") == ("Gesamtbetrag" if expected.startswith("de") else "Total")


def test_characters_the_font_lacks_do_not_break_the_pdf() -> None:
    document = invoice("en", customer=Party("山田 太郎 😀", ("東京都",), "yamada@example.jp"))
    [page] = pdf_pages(document)
    assert "\ufffd\ufffd \ufffd\ufffd \ufffd" in page
    assert "INV-2026-000042" in page
    assert "山田" in render_html(document)


def test_control_characters_and_decomposed_accents_print_cleanly() -> None:
    document = invoice("de", customer=Party("Jo\u0308rg\tMu\u0308ller\x07", ("Line\none",), ""))
    [page] = pdf_pages(document)
    assert "Jörg Müller" in page


def test_an_invoice_without_lines_says_so() -> None:
    document = invoice("de", lines=0)
    assert "Keine Positionen in diesem Zeitraum." in plain(render_html(document))
    assert "Keine Positionen in diesem Zeitraum." in pdf_pages(document)[0]


def test_a_cut_font_keeps_the_outlines_of_the_glyphs_it_keeps() -> None:
    face = font_faces()[""]
    original = TTFont(face.font.ttffile)
    cmap = original.getBestCmap()
    wanted = {ord(char): original.getGlyphID(cmap[ord(char)]) for char in "Żółć€"}
    cut = face.file.cut(wanted)
    font = TTFont(io.BytesIO(cut.data), checkChecksums=2)
    assert font.getBestCmap().keys() == wanted.keys()
    for code, old in wanted.items():
        new_name = font.getBestCmap()[code]
        old_name = original.getGlyphName(old)
        assert font["hmtx"][new_name] == original["hmtx"][old_name]
        assert (font["glyf"][new_name].getCoordinates(font["glyf"])[0]
                == original["glyf"][old_name].getCoordinates(original["glyf"])[0])


def test_pagination_repeats_the_table_header_and_drops_spacers_at_a_page_top() -> None:
    header = Band(10, keep_with_next=True)
    rows = [Band(30, header=header) for _ in range(5)]
    pages = paginate([Band(50), Band(5, spacer=True), header, *rows], top=0, bottom=100)
    assert [[band for _, band in page] for page in pages] == [
        [Band(50), Band(5, spacer=True), header, rows[0]],
        [header, *rows[1:4]],
        [header, rows[4]],
    ]
    assert [y for y, _ in pages[1]] == [0, 10, 40, 70]


def test_a_table_header_never_ends_a_page_alone() -> None:
    header = Band(10, keep_with_next=True)
    pages = paginate([Band(85), header, Band(30, header=header)], top=0, bottom=100)
    assert [[band.height for _, band in page] for page in pages] == [[85], [10, 30]]
