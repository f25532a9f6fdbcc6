"""User text inside Markdown: made inert.

Streamlit reads Markdown in almost every text it draws (`st.markdown`,
`st.write`, `st.caption`, headings, alerts, labels, help): a session label or
an organisation's name drawn there could load an image, open a link or colour
the page. The one path for text that is not this project's own:

- `inert(text)` for a whole sentence that is only text (a title, a name, a
  sentence the briefings built for every format);
- `message(key, lang, **values)` for one of our messages, whose own Markdown
  stays and whose values are shown as typed (`Markdown(...)` marks one of our
  own fragments, such as a badge, that must stay Markdown).
"""

from __future__ import annotations

import re

from tracker.i18n import t

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&])")
# Streamlit's Markdown (remark-gfm) turns `http://…`, `www.…` and `a@b.fr` into
# links after escapes are read, so escaping cannot stop it: a word joiner
# (U+2060, invisible) inside `://`, after `www` and before `@` does.
WORD_JOINER = "\u2060"
AUTOLINK_TRIGGERS = re.compile(r"(:)(?=//)|(?<![^\W_])(www)(?=\.)|(?=@)", re.IGNORECASE)


class Markdown(str):
    """Markdown this project wrote (a badge, a bold label): kept as is."""


def md_escape(value: object) -> str:
    """Text someone typed, made inert inside a Markdown message (no link,
    image, HTML or Streamlit directive can come out of it)."""
    if isinstance(value, Markdown):
        return value
    unlinked = AUTOLINK_TRIGGERS.sub(lambda m: (m.group(0) or "") + WORD_JOINER, str(value))
    return MARKDOWN_SPECIALS.sub(r"\\\1", unlinked)


inert = md_escape


def message(key: str, lang: str, **values: object) -> str:
    """The message `key`, its values shown as typed."""
    return t(key, lang, **{name: md_escape(value) for name, value in values.items()})
