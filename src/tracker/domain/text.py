"""What people type, made safe to store and to show.

Text reaches the tracker from forms, URLs, files and the command line. Control
and format characters (null bytes, terminal escapes, right-to-left overrides,
zero-width characters) never belong in a label or a search: PostgreSQL refuses
null bytes, terminals obey escapes, and bidirectional overrides make a text read
differently from what it holds.
"""

from __future__ import annotations

import re
import unicodedata

# Cc control, Cf format (bidi overrides, zero-width), Cs surrogates, Co private
# use, Cn unassigned.
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
ASCII_INTEGER = re.compile(r"-?[0-9]+")


def plain_line(value: object) -> str:
    """One line of plain text: control and format characters dropped, runs of
    white space (new lines included) made one space, ends trimmed."""
    text = "".join(
        " " if c.isspace() else c
        for c in str(value)
        if c.isspace() or unicodedata.category(c) not in _DROPPED
    )
    return " ".join(text.split())


def is_ascii_integer(text: str) -> bool:
    """`-12`, `0`, `42`; not `²`, `٣`, `--5` or `1_000`, which `int()` may
    accept or trip over."""
    return ASCII_INTEGER.fullmatch(text) is not None


def plain_text(value: object) -> str:
    """Plain text that may span lines (a summary): control and format
    characters dropped except new lines and tabs, ends trimmed; None is ''."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        c for c in text if c in "\n\t" or unicodedata.category(c) not in _DROPPED
    ).strip()


_URL_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]")


def web_address(value: object) -> str | None:
    """An http(s) address fit to be a link target, or None. Characters that
    could end a Markdown link or an HTML attribute are percent-encoded;
    `javascript:`, `data:` and every other scheme are refused."""
    text = plain_line(value)
    if not re.match(r"https?://[^/?#\s]+", text, flags=re.IGNORECASE):
        return None
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)
