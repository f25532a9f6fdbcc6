"""Named errors shown as a clear message on the page; nothing else is hidden."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from tracker import logs
from tracker.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ServiceUnavailable,
    TrackerError,
    ValidationError,
)
from tracker.i18n import describe
from tracker.ui.outage import service_unavailable_notice


def described(error: TrackerError, lang: str) -> str:
    # Messages are Markdown; the values they quote may come from users: each is
    # cleaned of control characters and quoted as a code span, shown as typed.
    return describe(error, lang, markdown=True)


def _log_named(error: TrackerError) -> None:
    # The key and the kind only: parameters may quote what someone typed.
    logs.error(type(error).__name__, key=error.key)


@contextmanager
def friendly_errors(lang: str) -> Iterator[None]:
    """Named errors become a clear message; nothing else is hidden."""
    try:
        yield
    except ServiceUnavailable:
        service_unavailable_notice(lang)
    except TrackerError as error:
        _log_named(error)
        _show(error, lang)


ICONS = (
    (NotFound, st.info, ":material/search_off:"),
    (PermissionDenied, st.warning, ":material/lock:"),
    (Conflict, st.error, ":material/sync_problem:"),
    (ValidationError, st.error, ":material/block:"),
    (TrackerError, st.error, ":material/error:"),
)


def _show(error: TrackerError, lang: str) -> None:
    draw, icon = next((draw, icon) for kind, draw, icon in ICONS if isinstance(error, kind))
    draw(described(error, lang), icon=icon)
