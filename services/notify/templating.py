"""Email templates: Jinja2 in a sandbox, checked when stored, rendered into subject, text and HTML.

Templates come from tenants, so they run in Jinja2's immutable sandbox (no attribute tricks, no
mutation of the variables), with StrictUndefined (a misspelt variable is an error, never an
empty string); only the html part is autoescaped, so every value there is text, never markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kernel.errors import InvalidInputError
from services.notify.variables import Variables

PARTS = ("subject", "text", "html")
SPACES = re.compile(r"[ \t]+")
MAX_PART_LENGTH = {"subject": 1_000, "text": 100_000, "html": 200_000}

TEXT = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                                     keep_trailing_newline=True)
"""Subjects and plain-text bodies are not HTML: escaping would garble them."""
HTML = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True,
                                     keep_trailing_newline=True)


class TemplateRenderError(Exception):
    """A template that did not render: which part, and why."""

    def __init__(self, part: str, detail: str) -> None:
        super().__init__(f"{part}: {detail}")
        self.part = part
        self.detail = detail

    @property
    def reason(self) -> str:
        """The reason a delivery written with this template failed."""
        return f"template_error: {self.part}: {self.detail}"


@dataclass(frozen=True)
class EmailTemplate:
    """The three parts an email is rendered from."""

    subject: str
    text: str
    html: str

    def part(self, name: str) -> str:
        """The source of one part: subject, text or html."""
        source: str = getattr(self, name)
        return source


@dataclass(frozen=True)
class RenderedEmail:
    """A template rendered with one email's variables."""

    subject: str
    text: str
    html: str


def environment(part: str) -> ImmutableSandboxedEnvironment:
    """The html part is autoescaped; subject and text are not."""
    return HTML if part == "html" else TEXT


def describe(error: Exception) -> str:
    """What went wrong, in one line."""
    if isinstance(error, TemplateSyntaxError):
        return f"{error.message} (line {error.lineno})"
    return f"{type(error).__name__}: {error}"


@lru_cache(maxsize=512)
def compiled(part: str, source: str) -> Template:
    """The parsed template of one part (templates repeat across a bill run, so cached)."""
    return environment(part).from_string(source)


def render_part(part: str, source: str, variables: Variables) -> str:
    """One part rendered; any failure of a tenant's template is a TemplateRenderError."""
    try:
        return compiled(part, source).render(variables)
    except Exception as error:  # a stored template may fail in any way; sending must go on
        raise TemplateRenderError(part, describe(error)) from error


def one_line(text: str) -> str:
    """A subject as one header line: line breaks and runs of spaces and tabs become one space
    (no-break spaces stay, so "42,41 €" is not split)."""
    return SPACES.sub(" ", " ".join(text.splitlines())).strip()


def render_email(template: EmailTemplate, variables: Variables) -> RenderedEmail:
    """Subject, text and HTML of one email; an empty subject is an error."""
    subject = one_line(render_part("subject", template.subject, variables))
    if not subject:
        raise TemplateRenderError("subject", "renders empty")
    return RenderedEmail(subject, render_part("text", template.text, variables),
                         render_part("html", template.html, variables))


def check_part(part: str, source: str, allowed: frozenset[str]) -> None:
    """A part is present, not too long, parses, and uses only the allowed variables."""
    if not source.strip():
        raise InvalidInputError(part, "required")
    if len(source) > MAX_PART_LENGTH[part]:
        raise InvalidInputError(part, f"longer_than_{MAX_PART_LENGTH[part]}_characters")
    env = environment(part)
    try:
        tree = env.parse(source)
    except TemplateSyntaxError as error:
        raise InvalidInputError(part, f"syntax_error: {describe(error)}") from None
    unknown = sorted(meta.find_undeclared_variables(tree) - allowed - set(env.globals))
    if unknown:
        raise InvalidInputError(part, f"unknown_variable: {', '.join(unknown)}")


def check_template(template: EmailTemplate, allowed: frozenset[str], sample: Variables) -> None:
    """Refuse a template that does not parse, names unknown variables or fails on sample data."""
    for part in PARTS:
        check_part(part, template.part(part), allowed)
    try:
        render_email(template, sample)
    except TemplateRenderError as error:
        raise InvalidInputError(error.part, f"render_error: {error.detail}") from None
