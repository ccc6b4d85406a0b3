"""The shipped fonts: parsed once per process, measured, attached to documents, embedded cut.

Each document gets its own table of codes per font; at output the font is embedded cut to
the glyphs those codes name (truetype.TrueTypeFile.cut) instead of fpdf2's fontTools
subsetting, which alone would cost more than the whole budget of a document.
"""

from __future__ import annotations

import copy
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import TTFFont
from fpdf.output import OutputProducer, PDFFont, PDFFontStream
from fpdf.syntax import Name, PDFArray, PDFContentStream, Raw

from services.invoice.rendering.bands import TextStyle
from services.invoice.rendering.truetype import FontFileError, TrueTypeFile

FONTS = Path(__file__).parent / "fonts"
FAMILY = "dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
SUBSET_TAG = "BILLAA"
REPLACEMENT = "\ufffd"
CONTROL = {code: " " for code in range(32)}
MM_PER_PT = 25.4 / 72


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
