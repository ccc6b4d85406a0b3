"""Streaming concatenation of invoice PDFs into one print file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject

from services.notify.printing.pdfmerge import PdfConcatenation, UnreadablePdfError


def pdf(name: str, pages: int) -> bytes:
    """A PDF whose pages say '<name> page <n>'."""
    document = FPDF()
    document.set_font("helvetica", size=14)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"{name} page {number}")
    return bytes(document.output())


def texts(content: bytes) -> list[str]:
    """The text of every page."""
    return [page.extract_text().strip() for page in PdfReader(io.BytesIO(content), strict=True).pages]


def concatenated(*sources: bytes) -> tuple[list[int], bytes]:
    out = io.BytesIO()
    concatenation = PdfConcatenation(out)
    counts = [concatenation.append(io.BytesIO(source)) for source in sources]
    assert concatenation.close() == sum(counts)
    return counts, out.getvalue()


def test_pages_follow_each_other_in_the_order_appended() -> None:
    counts, merged = concatenated(pdf("B", 2), pdf("A", 1), pdf("C", 3))

    assert counts == [2, 1, 3]
    assert texts(merged) == ["B page 1", "B page 2", "A page 1", "C page 1", "C page 2", "C page 3"]


def test_inputs_are_read_from_files(tmp_path: Path) -> None:
    (tmp_path / "one.pdf").write_bytes(pdf("X", 2))
    out = io.BytesIO()
    concatenation = PdfConcatenation(out)

    assert concatenation.append(tmp_path / "one.pdf") == 2
    concatenation.close()
    assert texts(out.getvalue()) == ["X page 1", "X page 2"]


def test_inherited_page_attributes_are_kept() -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("I", 2))))
    pages_root = writer.root_object["/Pages"].get_object()
    assert isinstance(pages_root, DictionaryObject)
    first = writer.pages[0]
    pages_root[NameObject("/Resources")] = first["/Resources"]
    pages_root[NameObject("/MediaBox")] = first["/MediaBox"]
    for page in writer.pages:
        del page["/Resources"]
        del page["/MediaBox"]
    source = io.BytesIO()
    writer.write(source)

    _, merged = concatenated(source.getvalue())

    assert texts(merged) == ["I page 1", "I page 2"]
    assert [float(page.mediabox.width) for page in PdfReader(io.BytesIO(merged)).pages] == [
        pytest.approx(595.28, abs=0.01)] * 2


def test_an_empty_concatenation_is_a_valid_pdf_without_pages() -> None:
    _, merged = concatenated()

    assert len(PdfReader(io.BytesIO(merged), strict=True).pages) == 0


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", pdf("T", 1)[:200]])
def test_unreadable_inputs_are_refused(content: bytes) -> None:
    concatenation = PdfConcatenation(io.BytesIO())

    with pytest.raises(UnreadablePdfError):
        concatenation.append(io.BytesIO(content))


def test_encrypted_inputs_are_refused() -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf("S", 1))))
    writer.encrypt("secret")
    source = io.BytesIO()
    writer.write(source)

    with pytest.raises(UnreadablePdfError, match="encrypted"):
        PdfConcatenation(io.BytesIO()).append(io.BytesIO(source.getvalue()))
