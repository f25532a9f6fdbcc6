"""How much room text takes in a deck or a Word document, to size their
tables before a program lays them out: a column never narrower than its
longest word, a row as tall as its tallest cell.

The decks and Word documents are set in Arial; Helvetica's metrics, which
ReportLab carries, are Arial's (and LibreOffice's Liberation Sans's), so the
widths are those PowerPoint, Word and LibreOffice will draw.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth

FONT = "Arial"
_METRICS = {False: "Helvetica", True: "Helvetica-Bold"}
# Lines break at plain spaces only: the no-break spaces of French typography
# (« », before : ; ! ?) hold their words together.
_BREAKS = re.compile(r"[ \t\r\f\v]+")


def _words(text: str) -> list[str]:
    return [w for w in _BREAKS.split(text) if w]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line, in points."""
    return stringWidth(text, _METRICS[bold], size)


def longest_word(text: str, size: float, bold: bool = False) -> float:
    """The width of the widest word of `text`, in points (a column narrower
    than this breaks the word)."""
    return max((text_width(w, size, bold) for w in _words(text)), default=0.0)


def lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes in `width` points, broken between words
    as a word processor does (a word wider than the line takes a line)."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        line = 0.0
        space = text_width(" ", size, bold)
        for word in _words(paragraph):
            word_width = text_width(word, size, bold)
            if line and line + space + word_width > width:
                count += 1
                line = word_width
            else:
                line += (space if line else 0.0) + word_width
    return max(count, 1)
