"""PDF output: the template's markup laid out and drawn with fpdf2 in the shipped DejaVu Sans.

Fonts are parsed once per process and attached to each document; at output each font is
embedded cut to the glyphs the document uses (truetype.TrueTypeFile.cut) instead of fpdf2's
fontTools subsetting, which alone would cost more than the whole budget of a document.
"""

from __future__ import annotations

import copy
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import fromstring
from fpdf import FPDF
from fpdf.enums import PDFResourceType
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer, PDFFont, PDFFontStream
from fpdf.syntax import Name, PDFArray, PDFContentStream, Raw

from services.invoice.rendering.layout import (
    INK,
    Band,
    Footer,
    Layout,
    Rule,
    Text,
    TextStyle,
    paginate,
)
from services.invoice.rendering.truetype import FontFileError, TrueTypeFile

FONTS = Path(__file__).parent / "fonts"
FAMILY = "dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
SUBSET_TAG = "BILLAA"
REPLACEMENT = "\ufffd"
CONTROL = {code: " " for code in range(32)}

PAGE_WIDTH, PAGE_HEIGHT = 210.0, 297.0
MARGIN_X, MARGIN_TOP = 18.0, 16.0
CONTENT_BOTTOM = PAGE_HEIGHT - 20.0
FOOTER_BASELINE = PAGE_HEIGHT - 11.0
FOOTER_STYLE = TextStyle(7.5, False, (110, 110, 110))
MM_PER_PT = 25.4 / 72
K = 72 / 25.4


class CodeTable(dict[str, str]):
    """A document's characters to the codes its text is written in: 1, 2, … in order of first use."""

    def __init__(self) -> None:
        super().__init__()
        self.chars: list[str] = []

    def __missing__(self, char: str) -> str:
        self.chars.append(char)
        code = self[char] = chr(len(self.chars))
        return code


class ShippedFont(TTFFont):
    """fpdf2's TrueType font with a per-document table of the codes its text is written in."""

    __slots__ = ("codes",)
    codes: CodeTable

    @classmethod
    def of(cls, font: TTFFont) -> ShippedFont:
        """The same parsed font as a ShippedFont."""
        shipped = cls.__new__(cls)
        for slot in TTFFont.__slots__:
            if hasattr(font, slot):
                setattr(shipped, slot, getattr(font, slot))
        return shipped

    def attached(self, index: int) -> ShippedFont:
        """A copy for one document: its font number and its own table of codes."""
        font = copy.copy(self)
        font.i = index
        font.codes = CodeTable()
        return font


@dataclass(frozen=True)
class FontFace:
    """One shipped font style: fpdf2's parsed font, its file to cut, glyph ids and widths by character."""

    style: str
    font: ShippedFont
    file: TrueTypeFile
    glyph_ids: dict[str, int]
    widths: dict[str, int]


@lru_cache(maxsize=1)
def font_faces() -> dict[str, FontFace]:
    """The shipped font styles, parsed once per process."""
    loader = FPDF()
    faces = {}
    for style, name in FONT_FILES.items():
        path = FONTS / name
        loader.add_font(FAMILY, style, path)
        font = loader.fonts[FAMILY + style]
        if not isinstance(font, TTFFont):
            raise FontFileError(f"{name} did not load as a TrueType font")
        gids = {glyph: gid for gid, glyph in enumerate(font.ttfont.getGlyphOrder())}
        faces[style] = FontFace(style, ShippedFont.of(font), TrueTypeFile.parse(path.read_bytes()),
                                {chr(code): gids[glyph] for code, glyph in font.cmap.items()},
                                {chr(code): int(font.cw[code]) for code in font.cmap})
    return faces


class CharWidths(dict[str, float]):
    """Advance widths by character in thousandths of an em; unknown characters are 0."""

    def __missing__(self, char: str) -> float:
        return 0.0


@dataclass(frozen=True, eq=False)
class FontMetrics:
    """Text widths in the shipped fonts; characters they lack print as U+FFFD."""

    widths: dict[bool, CharWidths]
    printable: frozenset[str]

    def width(self, text: str, style: TextStyle) -> float:
        """Width in millimetres of text in a style."""
        return sum(map(self.widths[style.bold].__getitem__, text)) * style.size * MM_PER_PT / 1000

    def clean(self, text: str) -> str:
        """Text in composed form, control characters as spaces, unprintable ones as U+FFFD."""
        if text.isascii() and text.isprintable():
            return text
        return self.printable_text(text)

    @lru_cache(maxsize=4096)  # noqa: B019 - one instance per process, see shipped_metrics
    def printable_text(self, text: str) -> str:
        """Text that is not plain ASCII, cleaned; cached, as labels and amounts repeat."""
        text = unicodedata.normalize("NFC", text).translate(CONTROL)
        if self.printable.issuperset(text):
            return text
        return "".join(char if char in self.printable else REPLACEMENT for char in text)


@lru_cache(maxsize=1)
def shipped_metrics() -> FontMetrics:
    """The metrics of the shipped regular and bold fonts."""
    faces = font_faces()
    regular, bold = faces[""].font, faces["B"].font
    return FontMetrics(
        {False: CharWidths({chr(code): width for code, width in regular.cw.items()}),
         True: CharWidths({chr(code): width for code, width in bold.cw.items()})},
        frozenset(chr(code) for code in regular.cmap) & frozenset(chr(code) for code in bold.cmap))


def attach_fonts(pdf: FPDF) -> None:
    """Give a new document the parsed fonts, each with its own record of glyphs used."""
    for face in font_faces().values():
        font = face.font.attached(len(pdf.fonts) + 1)
        pdf.fonts[font.fontkey] = font


class EmbeddingOutputProducer(OutputProducer):
    """fpdf2's writer, embedding the shipped fonts cut to the glyphs a document uses."""

    def _add_fonts(self, *args: Any, **kwargs: Any) -> dict[int, Any]:
        faces = {FAMILY + face.style: face for face in font_faces().values()}
        objects: dict[int, Any] = {}
        for font in sorted(self.fpdf.fonts.values(), key=lambda font: font.i):
            face = faces.get(font.fontkey)
            if face is None or not isinstance(font, ShippedFont):
                raise FontFileError(f"font {font.fontkey} is not one of the shipped fonts")
            objects[font.i] = self.embed(font, face)
        return objects

    def embed(self, font: ShippedFont, face: FontFace) -> PDFFont:
        """The PDF objects of one font: Type0 over a CIDFontType2 with the cut font file."""
        name = f"{SUBSET_TAG}+{font.name}"
        chars = dict(enumerate(font.codes.chars, start=1))
        old_ids = {code: face.glyph_ids.get(char, 0) for code, char in chars.items()}
        cut = face.file.cut({ord(char): old_ids[code] for code, char in chars.items()})
        composite = PDFFont(subtype="Type0", base_font=name, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(subtype="CIDFontType2", base_font=name, d_w=font.desc.missing_width,
                           w=cid_widths({code: face.widths.get(char, 0) for code, char in chars.items()}))
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        to_unicode = PDFContentStream(to_unicode_cmap(chars), compress=True)
        self._add_pdf_obj(to_unicode, "fonts")
        composite.to_unicode = to_unicode
        cid_font.c_i_d_system_info = Raw(  # type: ignore[assignment]
            "<</Registry (Adobe) /Ordering (Identity) /Supplement 0>>")
        descriptor = copy.copy(font.desc)
        descriptor.font_name = Name(name)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        cid_to_gid = bytearray(2 * (max(old_ids, default=0) + 1))
        for code, gid in old_ids.items():
            struct.pack_into(">H", cid_to_gid, 2 * code, cut.glyph_ids.get(gid, 0))
        cid_map = PDFContentStream(bytes(cid_to_gid), compress=True)
        self._add_pdf_obj(cid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = cid_map
        font_file = FontFileStream(cut.data)
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file  # type: ignore[attr-defined]
        return composite


class FontFileStream(PDFFontStream):
    """An embedded font file, compressed fast: level 1 is half the time for 7 % more bytes."""

    _COMPRESSION_LEVEL = 1


def cid_widths(widths: dict[int, int]) -> str:
    """The W array of a CID font: runs of consecutive codes with their widths."""
    groups: list[list[int]] = []
    previous = -2
    for code in sorted(widths):
        if code != previous + 1:
            groups.append([code])
        groups[-1].append(widths[code])
        previous = code
    return "[" + " ".join(f"{group[0]} [{' '.join(map(str, group[1:]))}]" for group in groups) + "]"


def to_unicode_cmap(chars: dict[int, str]) -> bytes:
    """The ToUnicode CMap that lets readers search and copy the text."""
    pairs = [f"<{code:04X}> <{char.encode('utf-16-be').hex()}>" for code, char in sorted(chars.items())]
    blocks = "".join(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
                     for chunk in (pairs[i:i + 100] for i in range(0, len(pairs), 100)))
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend").encode("ascii")


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
        """Text with its baseline at y, in the document's font subset codes."""
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
    root = fromstring(markup)
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
