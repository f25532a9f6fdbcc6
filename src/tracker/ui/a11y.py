"""What the browser needs to be told for assistive technologies.

Streamlit serves one `index.html` with `<html lang="en">` whatever the page's
language, and switches language without reloading the page: only a script in
the page can keep `lang` true (WCAG 3.1.1, RGAA 8.3). The script is built from
the two known language codes only, never from anything a person typed.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from tracker import style
from tracker.domain.vocabulary import LANGUAGES
from tracker.i18n import language
from tracker.ui.streamlit_texts import texts_script

# The day the accessibility statement was last prepared (update it with the
# statement whenever the tests or their results change).
STATEMENT_DATE = date(2026, 12, 4)

_DECLARE = "<script>document.documentElement.lang = {code!r};</script>"

# Streamlit draws the « Stop » button of a running script in a light grey
# (#8d8d8d: 3.3:1 on white, axe-core "color-contrast"); the colour of our
# text keeps it legible while a page runs (WCAG 1.4.3, RGAA 3.2).
STATUS_TEXT_COLOR = style.TEXT  # the theme's textColor (.streamlit/config.toml)
STATUS_STYLE = (
    "<style>[data-testid='stStatusWidget'] button,"
    f" [data-testid='stStatusWidget'] label {{ color: {STATUS_TEXT_COLOR}; }}</style>"
)


def language_script(lang: str) -> str:
    code = language(lang)
    if code not in LANGUAGES:  # `language` already guarantees it; keep it obvious
        raise ValueError(code)
    return _DECLARE.format(code=code)


def declare_language(lang: str) -> None:
    """Set `<html lang>` to the interface's language, on every run, put
    Streamlit's own texts in that language (`tracker.ui.streamlit_texts`) and
    keep its status widget legible."""
    st.sidebar.html(
        language_script(lang) + texts_script(lang) + STATUS_STYLE, unsafe_allow_javascript=True
    )
