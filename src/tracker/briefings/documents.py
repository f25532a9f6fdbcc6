"""Briefing documents: one content (`content.Briefing`), four formats."""

from __future__ import annotations

from collections.abc import Callable

from tracker.briefings.content import Briefing

MIME_TYPES = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
FORMATS = tuple(MIME_TYPES)


def renderer(fmt: str) -> Callable[[Briefing], bytes]:
    """The function that writes a briefing in `fmt` (imported on demand: the
    PDF and PPTX libraries are only loaded when someone asks for them)."""
    if fmt == "pdf":
        from tracker.briefings.pdf import render_pdf

        return render_pdf
    if fmt == "pptx":
        from tracker.briefings.slides import render_pptx

        return render_pptx
    if fmt == "xlsx":
        from tracker.briefings.spreadsheets import render_xlsx

        return render_xlsx
    if fmt == "csv":
        from tracker.briefings.spreadsheets import render_csv

        return render_csv
    raise ValueError(fmt)


def render(b: Briefing, fmt: str) -> bytes:
    return renderer(fmt)(b)
