"""PDF output: the template's markup laid out, paginated and drawn with fpdf2 on A4 pages."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from fpdf import FPDF
from fpdf.enums import PDFResourceType

from services.invoice.rendering.bands import INK, Band, Footer, Rule, Text, TextStyle, paginate
from services.invoice.rendering.embedding import (
    FAMILY,
    EmbeddingOutputProducer,
    ShippedFont,
    attach_fonts,
    shipped_metrics,
)
from services.invoice.rendering.layout import Layout

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN_X, MARGIN_TOP = 18.0, 16.0
CONTENT_BOTTOM = PAGE_HEIGHT - 20.0
FOOTER_BASELINE = PAGE_HEIGHT - 11.0
FOOTER_STYLE = TextStyle(7.5, False, (110, 110, 110))
K = 72 / 25.4


def rgb(color: tuple[int, int, int]) -> str:
    """A colour as PDF operands, 0..1 per channel."""
    return " ".join(f"{channel / 255:.3f}" for channel in color)


class Pen:
    """Draws laid-out bands on the pages of one fpdf2 document.

    Each page's rules and fills, then its text as one PDF text object, go straight into
    the page's content stream: fpdf2's text() costs about 8 µs a run, a third of a typical
    invoice's budget, for bookkeeping these fixed fonts and colours do not need.
    """

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.fonts = {font.fontkey == FAMILY + "B": font for font in pdf.fonts.values()
                      if isinstance(font, ShippedFont)}
        self.graphics: list[str] = []
        self.texts: list[str] = []
        self.font: tuple[bool, float] | None = None
        self.color: tuple[int, int, int] | None = None

    def band(self, y: float, band: Band) -> None:
        """Draw one band with its top at y."""
        for item in band.items:
            if isinstance(item, Text):
                self.text(item.x, y + item.y, item.text, item.style)
            elif isinstance(item, Rule):
                self.rule(item.x1, item.x2, y + item.y, item.width, item.color)
            else:
                top = PAGE_HEIGHT - y - item.y
                self.graphics.append(f"{rgb(item.color)} rg {item.x * K:.2f} {top * K:.2f} "
                                     f"{item.w * K:.2f} {-item.h * K:.2f} re f")

    def rule(self, x1: float, x2: float, y: float, width: float, color: tuple[int, int, int]) -> None:
        """A horizontal line."""
        level = (PAGE_HEIGHT - y) * K
        self.graphics.append(f"{width * K:.2f} w {rgb(color)} RG {x1 * K:.2f} {level:.2f} m "
                             f"{x2 * K:.2f} {level:.2f} l S")

    def text(self, x: float, baseline: float, text: str, style: TextStyle) -> None:
        """Text with its baseline at the given height, written in the document's codes."""
        font = self.fonts[style.bold]
        if (style.bold, style.size) != self.font:
            self.texts.append(f"/F{font.i} {style.size:.2f} Tf")
            self.font = (style.bold, style.size)
        if style.color != self.color:
            self.texts.append(f"{rgb(style.color)} rg")
            self.color = style.color
        codes = "".join(map(font.codes.__getitem__, text)).encode("utf-16-be").hex()
        self.texts.append(f"1 0 0 1 {x * K:.2f} {(PAGE_HEIGHT - baseline) * K:.2f} Tm <{codes}> Tj")

    def footer(self, footer: Footer, page: int, pages: int) -> None:
        """The running footer of a page, with its page number."""
        right = footer.right.replace("{page}", str(page)).replace("{pages}", str(pages))
        self.rule(MARGIN_X, PAGE_WIDTH - MARGIN_X, FOOTER_BASELINE - 4, 0.1, INK)
        self.text(MARGIN_X, FOOTER_BASELINE, footer.left, FOOTER_STYLE)
        width = shipped_metrics().width(right, FOOTER_STYLE)
        self.text(PAGE_WIDTH - MARGIN_X - width, FOOTER_BASELINE, right, FOOTER_STYLE)

    def finish_page(self) -> None:
        """Write the page's drawing into its content stream and register the fonts it uses."""
        for font in self.fonts.values():
            self.pdf._resource_catalog.add(PDFResourceType.FONT, font.i, self.pdf.page)
        self.pdf._out("q\n" + "\n".join(self.graphics) + "\nQ\nBT\n" + "\n".join(self.texts) + "\nET")
        self.graphics, self.texts = [], []
        self.font = self.color = None


def markup_to_pdf(markup: str) -> bytes:
    """The PDF of the template's markup: laid out, paginated, drawn, fonts embedded."""
    root = fromstring(markup)  # noqa: S314 - our template's output: no DTD, every value escaped
    body = root.find("body")
    if body is None:
        raise ValueError("the template rendered no <body>")
    bands, footer = Layout(shipped_metrics()).document(body, MARGIN_X, PAGE_WIDTH - 2 * MARGIN_X)
    pages = paginate(bands, MARGIN_TOP, CONTENT_BOTTOM)
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title(root.findtext("head/title", ""))
    pdf.set_lang(root.get("lang", "en"))
    pdf.set_creator("telco-billing")
    attach_fonts(pdf)
    pen = Pen(pdf)
    for number, placed in enumerate(pages, start=1):
        pdf.add_page()
        for y, band in placed:
            pen.band(y, band)
        if footer is not None:
            pen.footer(footer, number, len(pages))
        pen.finish_page()
    return bytes(pdf.output(output_producer_class=EmbeddingOutputProducer))
