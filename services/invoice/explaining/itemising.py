"""Itemisation pages of an invoice PDF: every usage line's entries, the other lines' arithmetic and
the allowances, as printed sections (no I/O)."""

from __future__ import annotations

from collections.abc import Sequence

from services.invoice.domain.invoices import USAGE_KINDS
from services.invoice.explaining.model import AllowanceStory, LineExplanation
from services.invoice.explaining.words import Words
from services.invoice.rendering import ItemisedRow, ItemisedSection


def itemised(explanations: Sequence[LineExplanation], allowances: Sequence[AllowanceStory],
             words: Words) -> tuple[ItemisedSection, ...]:
    """One section per usage line (all its entries, closed by how they make the line's amount), one
    for the other lines' arithmetic, one for the allowances; empty sections are left out."""
    sections = [usage_section(e, words) for e in explanations if e.line.kind in USAGE_KINDS]
    charges = tuple(ItemisedRow("", e.text, words.money(e.line.amount.amount, e.line.amount.currency))
                    for e in explanations if e.line.kind not in USAGE_KINDS)
    if charges:
        sections.append(ItemisedSection(words.say("section_charges"), charges))
    if allowances:
        sections.append(ItemisedSection(words.say("section_allowances"),
                                        tuple(ItemisedRow("", story.text, "") for story in allowances)))
    return tuple(sections)


def usage_section(explanation: LineExplanation, words: Words) -> ItemisedSection:
    """A usage line's entries in event order, and how they make its amount."""
    rows = tuple(ItemisedRow(entry.started_local, entry.text,
                             words.money(entry.part.amount.amount, entry.part.amount.currency))
                 for entry in explanation.entries)
    return ItemisedSection(explanation.line.description, rows, explanation.text)
