"""The templates shipped with notify as package data: every kind in English and German."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from services.notify.events import NotificationKind
from services.notify.templating import PARTS, EmailTemplate

DEFAULT_LANGUAGES = ("en", "de")


@cache
def default_template(kind: NotificationKind, language: str) -> EmailTemplate:
    """The shipped template of a kind in a language (templates/<language>/<kind>.<part>.j2)."""
    if language not in DEFAULT_LANGUAGES:
        raise ValueError(f"no shipped templates in {language!r}")
    folder = files("services.notify").joinpath("templates", language)
    sources = [folder.joinpath(f"{kind.value}.{part}.j2").read_text("utf-8") for part in PARTS]
    return EmailTemplate(*sources)
