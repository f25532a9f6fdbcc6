"""User text inside Markdown: made inert."""

from __future__ import annotations

import re

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(value: object) -> str:
    """Text someone typed, made inert inside a Markdown message (no link,
    image, HTML or Streamlit directive can come out of it)."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", str(value))
