"""Streaming PDF concatenation: the pages of many PDFs written into one file, one input at a time.

pypdf reads each input; its page objects and everything they reference are renumbered and
written out at once, so memory holds one input and a list of offsets, never the whole batch.
Document-level parts of the inputs (outlines, forms, named destinations) are not carried over:
invoices have none, and a print house needs only the pages.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import BinaryIO

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    PdfObject,
    StreamObject,
)

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
CATALOG, PAGES = 1, 2


class UnreadablePdfError(ValueError):
    """An input that is not a readable, unencrypted PDF."""


class _Renumbering:
    """The objects of one input, each given a number in the output when first referenced."""

    def __init__(self, allocate: int) -> None:
        self.next_number = allocate
        self.numbers: dict[tuple[int, int], int] = {}
        self.queue: deque[tuple[int, IndirectObject]] = deque()

    def reserve(self, reference: IndirectObject) -> int:
        """An output number for an object written by the caller (a page), not queued."""
        self.numbers[(reference.idnum, reference.generation)] = self.next_number
        self.next_number += 1
        return self.next_number - 1

    def number(self, reference: IndirectObject) -> int:
        """The output number of a referenced object, queued for writing when new."""
        key = (reference.idnum, reference.generation)
        if key not in self.numbers:
            self.numbers[key] = self.next_number
            self.queue.append((self.next_number, reference))
            self.next_number += 1
        return self.numbers[key]

    def remap(self, value: PdfObject) -> PdfObject:
        """A copy of a direct value whose references name output numbers."""
        if isinstance(value, IndirectObject):
            return IndirectObject(self.number(value), 0, None)
        if isinstance(value, DictionaryObject) and not isinstance(value, StreamObject):
            return self.remap_dictionary(value)
        if isinstance(value, ArrayObject):
            return ArrayObject(self.remap(item) for item in value)
        return value

    def remap_dictionary(self, value: DictionaryObject, leave_out: str = "") -> DictionaryObject:
        """A copy of a dictionary with its references remapped, without the key left out."""
        return DictionaryObject({NameObject(key): self.remap(item) for key, item in value.items()
                                 if key != leave_out})

    def resolved(self, reference: IndirectObject) -> PdfObject:
        """A queued object, ready to write (a stream keeps its data, its dictionary is remapped)."""
        target = reference.get_object()
        if target is None:
            return NullObject()
        if isinstance(target, StreamObject):
            for key in list(target.keys()):
                target[NameObject(key)] = self.remap(target[key])
            return target
        return self.remap(target)


class PdfConcatenation:
    """Appends the pages of PDFs to an output file; close() writes the page tree and the xref."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next_number = PAGES + 1
        out.write(HEADER)

    def _write(self, number: int, body: PdfObject | bytes) -> None:
        """One numbered object at the current position."""
        self.offsets[number] = self.out.tell()
        self.out.write(f"{number} 0 obj\n".encode())
        if isinstance(body, bytes):
            self.out.write(body)
        else:
            body.write_to_stream(self.out)
        self.out.write(b"\nendobj\n")

    def append(self, source: Path | BinaryIO) -> int:
        """Write every page of one PDF; returns its page count."""
        try:
            reader = PdfReader(source)
            if reader.is_encrypted:
                raise UnreadablePdfError("encrypted PDF")
            pages = list(reader.pages)
        except (PdfReadError, OSError, ValueError) as error:
            raise UnreadablePdfError(f"{type(error).__name__}: {error}") from None
        if any(page.indirect_reference is None for page in pages):
            raise UnreadablePdfError("a page that is not an indirect object")
        renumbering = _Renumbering(self.next_number)
        numbers = [renumbering.reserve(page.indirect_reference) for page in pages if page.indirect_reference]
        for page, number in zip(pages, numbers, strict=True):
            body = renumbering.remap_dictionary(page, leave_out="/Parent")
            body[NameObject("/Parent")] = IndirectObject(PAGES, 0, None)
            self._write(number, body)
            self.pages.append(number)
            self._drain(renumbering)
        self.next_number = renumbering.next_number
        return len(pages)

    def _drain(self, renumbering: _Renumbering) -> None:
        """Write every object referenced so far."""
        while renumbering.queue:
            number, reference = renumbering.queue.popleft()
            self._write(number, renumbering.resolved(reference))

    def close(self) -> int:
        """Write the page tree, the catalog, the cross-reference table and the trailer; the page count."""
        kids = " ".join(f"{number} 0 R" for number in self.pages)
        self._write(PAGES, f"<< /Type /Pages /Count {len(self.pages)} /Kids [{kids}] >>".encode())
        self._write(CATALOG, f"<< /Type /Catalog /Pages {PAGES} 0 R >>".encode())
        xref = self.out.tell()
        size = self.next_number
        self.out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            offset = self.offsets.get(number)
            entry = f"{offset:010d} 00000 n \n" if offset is not None else "0000000000 65535 f \n"
            self.out.write(entry.encode())
        trailer = f"trailer\n<< /Size {size} /Root {CATALOG} 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        self.out.write(trailer.encode())
        return len(self.pages)
