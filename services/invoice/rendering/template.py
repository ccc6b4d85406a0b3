"""The one Jinja2 template of printed documents, loaded once per process, autoescaped."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from services.invoice.rendering.context import document_context
from services.invoice.rendering.document import InvoiceDocument

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAME = "invoice.html.j2"
UNPRINTABLE = {code: " " for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)}


def printable(value: Any) -> Any:
    """A printed value without control characters, which neither XML nor HTML allow."""
    return value.translate(UNPRINTABLE) if isinstance(value, str) else value


@lru_cache(maxsize=1)
def template() -> Template:
    """The parsed template; autoescape makes every value text, never markup."""
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=StrictUndefined, auto_reload=False, finalize=printable)
    return environment.get_template(TEMPLATE_NAME)


def render_markup(doc: InvoiceDocument, for_pdf: bool) -> str:
    """The document as XHTML: the page itself, or (for_pdf) the PDF's layout input."""
    return template().render(document_context(doc, for_pdf))
